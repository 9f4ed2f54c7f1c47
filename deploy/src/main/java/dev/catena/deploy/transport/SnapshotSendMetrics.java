package dev.catena.deploy.transport;

import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The streaming side of a catch-up as node metrics: every snapshot record this node sends to a
 * joiner through {@code ChainService.Snapshot}, counted per chain as {@code
 * catena_chain_snapshot_sent_records_total{chain}} and {@code
 * catena_chain_snapshot_sent_bytes_total{chain}}. Bytes are key, value and chunk bytes, the measure
 * the joiner counts in {@code catena_chain_catchup_bytes}, so the two can be compared. Other calls
 * pass through untouched.
 */
public final class SnapshotSendMetrics implements ServerInterceptor {
  private static final String SNAPSHOT = ChainServiceGrpc.getSnapshotMethod().getFullMethodName();

  private final MeterRegistry registry;

  public SnapshotSendMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!SNAPSHOT.equals(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    var counted = new CountingCall<>(call);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(counted, headers)) {
      @Override
      public void onMessage(Q message) {
        if (message instanceof SnapshotRequest req) {
          counted.chain(req.getChainId());
        }
        super.onMessage(message);
      }
    };
  }

  /** Counts the entries sent on one snapshot call, once its request has named the chain. */
  private final class CountingCall<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private volatile Counter records;
    private volatile Counter bytes;

    CountingCall(ServerCall<Q, R> call) {
      super(call);
    }

    void chain(int chainId) {
      String chain = Integer.toString(chainId);
      bytes =
          Counter.builder("catena.chain.snapshot.sent.bytes")
              .description("snapshot bytes (keys, values, chunks) sent to joiners")
              .tag("chain", chain)
              .register(registry);
      records =
          Counter.builder("catena.chain.snapshot.sent.records")
              .description("snapshot records sent to joiners")
              .tag("chain", chain)
              .register(registry);
    }

    @Override
    public void sendMessage(R message) {
      if (message instanceof SnapshotEntry e && records != null && !e.getLast()) {
        records.increment();
        bytes.increment(e.getKey().size() + e.getValue().size() + e.getChunkData().size());
      }
      super.sendMessage(message);
    }
  }
}
