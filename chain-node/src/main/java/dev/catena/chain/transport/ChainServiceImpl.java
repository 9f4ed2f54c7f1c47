package dev.catena.chain.transport;

import dev.catena.chain.runtime.BucketDigests;
import dev.catena.chain.runtime.InvalidBucketDigestsException;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.runtime.SnapshotCall;
import dev.catena.chain.storage.StorageException;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.PeerChunkPart;
import dev.catena.proto.v1.PeerChunkRequest;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/**
 * Server side of the chain streams: a successor opens {@code Replicate} and says Hello first; the
 * stream is then bound to (chain, successor) and handed to the {@link NodeRuntime}. A joiner pulls
 * its snapshot with {@code Snapshot}; a member repairing a chunk reads a peer's copy with {@code
 * ReadChunk}.
 */
final class ChainServiceImpl extends ChainServiceGrpc.ChainServiceImplBase {
  private final NodeRuntime runtime;

  private final ReplicaStore store;
  private final Executor streamers;
  private final PeerChunkReads chunkReads;

  ChainServiceImpl(NodeRuntime runtime, ReplicaStore store, Executor streamers) {
    this.runtime = runtime;
    this.store = store;
    this.streamers = streamers;
    this.chunkReads = new PeerChunkReads(runtime::status, store, streamers);
  }

  /** A chain member reads this node's verified copy of a chunk; see {@link PeerChunkReads}. */
  @Override
  public void readChunk(PeerChunkRequest req, StreamObserver<PeerChunkPart> responses) {
    chunkReads.serve(req, responses);
  }

  /**
   * Streams a consistent snapshot to a joining successor. The snapshot is opened on the event loop
   * once everything this node received is durable, so it reflects at least the announced cut.
   */
  @Override
  public void snapshot(SnapshotRequest req, StreamObserver<SnapshotEntry> responses) {
    var obs = (ServerCallStreamObserver<SnapshotEntry>) responses;
    var readiness = new Object();
    obs.setOnReadyHandler(
        () -> {
          synchronized (readiness) {
            readiness.notifyAll();
          }
        });
    obs.setOnCancelHandler(
        () -> {
          synchronized (readiness) {
            readiness.notifyAll();
          }
        });
    runtime.submitSnapshot(
        req.getChainId(),
        req.getEpoch(),
        req.getNodeId(),
        new SnapshotCall() {
          @Override
          public void grant() {
            java.util.Optional<BucketDigests> joiner;
            try {
              joiner =
                  req.hasDigests()
                      ? java.util.Optional.of(BucketDigests.fromProto(req.getDigests()))
                      : java.util.Optional.empty();
            } catch (InvalidBucketDigestsException e) {
              obs.onError(
                  Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
              return;
            }
            ReplicaStore.SnapshotSource source = store.openSnapshot(req.getChainId(), joiner);
            if (source.cut() < req.getMinCutSeq()) {
              source.close();
              obs.onError(
                  GrpcErrors.toStatus(
                      ErrorCode.WRONG_EPOCH,
                      "snapshot cut " + source.cut() + " below requested " + req.getMinCutSeq()));
              return;
            }
            streamers.execute(() -> stream(source, obs, readiness));
          }

          @Override
          public void failed(CatenaError error) {
            obs.onError(GrpcErrors.toStatus(error));
          }
        });
  }

  /** Snapshot records read ahead of the one being sent (each up to one chunk). */
  static final int READ_AHEAD = 4;

  /**
   * Streams with gRPC flow control: waits while the joiner's window is full. Records are read ahead
   * ({@link ReadAhead}), so reading and checking the next chunk overlaps sending this one.
   */
  private static void stream(
      ReplicaStore.SnapshotSource source,
      ServerCallStreamObserver<SnapshotEntry> obs,
      Object readiness) {
    try (source;
        var it = new ReadAhead<>(source.entries(), READ_AHEAD, "catena-snapshot-read")) {
      while (it.hasNext()) {
        synchronized (readiness) {
          while (!obs.isReady() && !obs.isCancelled()) {
            readiness.wait(1000);
          }
        }
        if (obs.isCancelled()) {
          return;
        }
        obs.onNext(it.next());
      }
      obs.onCompleted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      obs.onError(Status.CANCELLED.withDescription("node shutting down").asException());
    } catch (StorageException e) {
      obs.onError(GrpcErrors.toStatus(ErrorCode.CHECKSUM_MISMATCH, e.getMessage()));
    } catch (StatusRuntimeException e) {
      // The joiner went away; nothing to clean up beyond closing the snapshot.
    }
  }

  @Override
  public StreamObserver<ChainMessage> replicate(StreamObserver<ChainMessage> responses) {
    var out = (ServerCallStreamObserver<ChainMessage>) responses;
    var link = new ForwardLink(out);
    return new StreamObserver<>() {
      private int chainId = -1;
      private String from;

      @Override
      public void onNext(ChainMessage m) {
        if (from == null) {
          if (!m.hasHello() || m.getHello().getNodeId().isEmpty()) {
            out.onError(
                Status.INVALID_ARGUMENT
                    .withDescription("stream must start with Hello")
                    .asException());
            return;
          }
          chainId = m.getChainId();
          from = m.getHello().getNodeId();
          runtime.downstreamOpened(chainId, from, link);
        }
        runtime.downstreamMessage(chainId, from, m);
      }

      @Override
      public void onError(Throwable t) {
        if (from != null) {
          runtime.downstreamClosed(chainId, link);
        }
      }

      @Override
      public void onCompleted() {
        if (from != null) {
          runtime.downstreamClosed(chainId, link);
        }
        link.close();
      }
    };
  }
}
