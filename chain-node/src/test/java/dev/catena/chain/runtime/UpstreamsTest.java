package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.Hello;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4a "Broken streams": the stream to a predecessor reconnects with capped exponential
 * back-off and the same handshake as a reconfiguration, and nothing from a replaced stream reaches
 * the replica. Runs on a {@link ManualLoopScheduler}, so the delays asked for are visible.
 */
class UpstreamsTest {
  private static final NodeInfo N1 = NodeInfo.newBuilder().setNodeId("n1").build();

  /** A transport that records opened streams and lets the test drive their callbacks. */
  private static final class ScriptedTransport implements PeerTransport {
    final List<UpstreamListener> listeners = new ArrayList<>();
    final List<ChainMessage> sent = new ArrayList<>();
    int closes;

    @Override
    public Iterator<SnapshotEntry> fetchSnapshot(NodeInfo source, SnapshotRequest request) {
      throw new UnsupportedOperationException("no snapshots here");
    }

    @Override
    public UpstreamLink openUpstream(int chainId, NodeInfo predecessor, UpstreamListener listener) {
      listeners.add(listener);
      return new UpstreamLink() {
        @Override
        public void send(ChainMessage message) {
          sent.add(message);
        }

        @Override
        public void close() {
          closes++;
        }
      };
    }
  }

  private final ManualLoopScheduler loop = new ManualLoopScheduler();
  private final ScriptedTransport transport = new ScriptedTransport();
  private final List<Event> delivered = new ArrayList<>();
  private final Upstreams upstreams =
      new Upstreams(transport, loop, Map.of("n1", N1)::get, (chain, e) -> delivered.add(e));

  @Test
  void aBrokenStreamReconnectsWithBackOffAndTheHandshakeStartsAgain() {
    upstreams.open(0, "n1", 3);
    assertThat(transport.listeners).hasSize(1);

    for (int i = 0; i < 3; i++) { // three failed attempts in a row
      transport.listeners.get(i).closed(new RuntimeException("refused"));
      loop.runNextDelayed();
    }
    assertThat(loop.delays()).containsExactly(20L, 40L, 80L);
    assertThat(transport.listeners).hasSize(4);

    transport.listeners.get(3).opened();
    loop.runDue();
    assertThat(delivered).containsExactly(new Event.UpstreamOpened(3));

    // A success resets the back-off.
    transport.listeners.get(3).closed(new RuntimeException("reset"));
    loop.runNextDelayed();
    assertThat(loop.delays()).containsExactly(20L, 40L, 80L, 20L);
  }

  @Test
  void callbacksOfAReplacedStreamAreIgnored() {
    upstreams.open(0, "n1", 3);
    PeerTransport.UpstreamListener old = transport.listeners.get(0);
    upstreams.open(0, "n1", 4); // a new epoch replaces the stream
    assertThat(transport.closes).isEqualTo(1);

    old.opened();
    old.message(ChainMessage.newBuilder().setHello(Hello.getDefaultInstance()).build());
    old.closed(new RuntimeException("late"));
    loop.runDue();
    assertThat(delivered).isEmpty();
    assertThat(loop.delays()).isEmpty();

    upstreams.send(0, ChainMessage.getDefaultInstance());
    assertThat(transport.sent).hasSize(1);
  }

  @Test
  void anUnknownPredecessorIsRetriedUntilItsAddressIsKnown() {
    var unknown = new Upstreams(transport, loop, id -> null, (chain, e) -> delivered.add(e));
    unknown.open(0, "n9", 1);
    loop.runNextDelayed();
    loop.runNextDelayed();
    assertThat(transport.listeners).isEmpty();
    assertThat(loop.delays()).containsExactly(20L, 40L, 80L);
  }
}
