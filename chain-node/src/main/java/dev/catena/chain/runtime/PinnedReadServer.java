package dev.catena.chain.runtime;

import dev.catena.proto.v1.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the reads the protocol lets through ({@code Effect.ServeRead}) off the event loop: {@link
 * #serve} pins the store's records on the loop, at the instant they hold exactly the committed
 * state for the read's key, and the read runs on the reader pool against that pin, so the loop
 * never waits for a read and a write applied meanwhile (committed or not) is not seen.
 *
 * <p>Threading: {@link #serve} runs on the event loop; the read itself on {@link
 * LoopScheduler#executeRead}'s pool, which releases the pin when the read returns.
 */
final class PinnedReadServer {
  private static final Logger LOG = LoggerFactory.getLogger(PinnedReadServer.class);

  private final String nodeId;
  private final ReplicaStore store;
  private final LoopScheduler loop;

  PinnedReadServer(String nodeId, ReplicaStore store, LoopScheduler loop) {
    this.nodeId = nodeId;
    this.store = store;
    this.loop = loop;
  }

  /** Pins now and hands {@code read} to the reader pool; answers it with a typed error if not. */
  void serve(int chainId, ReadCall read) {
    PinnedReads pinned;
    try {
      pinned = store.pinReads();
    } catch (RuntimeException e) {
      read.failed(
          ClientCalls.error(
              ErrorCode.FENCED, "node " + nodeId + " cannot read its storage: " + e, chainId));
      return;
    }
    loop.executeRead(
        () -> {
          try (pinned) {
            read.serve(pinned);
          } catch (RuntimeException e) {
            LOG.error("chain {} at {}: serving a read failed", chainId, nodeId, e);
            read.failed( // a bug: answered INTERNAL rather than left to the client's deadline
                ClientCalls.error(
                    ErrorCode.ERROR_CODE_UNSPECIFIED, "serving a read failed: " + e, chainId));
          }
        });
  }
}
