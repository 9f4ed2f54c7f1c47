package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The Raft reference as a {@link BenchTarget}: a Ratis client (gRPC) in this JVM against the peers
 * of a {@link RatisCluster}. Puts are Raft writes (committed on a majority, then applied); gets are
 * read-only requests answered by the leader's state machine (Ratis' default read path). Reads are
 * charged to the leader's read limit.
 */
public final class RatisTarget implements BenchTarget {
  private final RatisCluster cluster;
  private final RaftClient client;
  private volatile String leader = RatisSettings.peerId(1);

  /** Connects a client to {@code cluster} (whose peers should be listening already). */
  public RatisTarget(RatisCluster cluster, FsyncPolicy fsync, Map<String, String> overrides) {
    this.cluster = cluster;
    RaftProperties p = RatisSettings.properties(fsync, overrides);
    ClientId id = ClientId.randomId();
    this.client =
        RaftClient.newBuilder()
            .setProperties(p)
            .setRaftGroup(RatisSettings.group(cluster.peers(), cluster.basePort()))
            .setClientId(id)
            .setClientRpc(new GrpcFactory(new Parameters()).newRaftClientRpc(id, p))
            .build();
  }

  @Override
  public SystemConfig config() {
    return SystemConfig.RATIS_3;
  }

  private static String key(int i, boolean large) {
    return (large ? "big-" : "k-") + i;
  }

  @Override
  public CompletableFuture<?> put(int i, boolean large, byte[] value) {
    byte[] req = KvCodec.encodePut(key(i, large), value);
    return client
        .async()
        .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(req)))
        .thenApply(RatisTarget::check);
  }

  @Override
  public CompletableFuture<?> get(int i, boolean large) {
    return client
        .async()
        .sendReadOnly(Message.valueOf(ByteString.copyFromUtf8(key(i, large))))
        .thenApply(
            r -> {
              check(r);
              int n = r.getMessage().getContent().size();
              if (n == 0) {
                throw new IllegalStateException("no value for " + key(i, large));
              }
              return n;
            });
  }

  private static RaftClientReply check(RaftClientReply r) {
    if (!r.isSuccess()) {
      throw new IllegalStateException("Ratis request failed: " + r.getException());
    }
    return r;
  }

  @Override
  public String readServer(int i, boolean large) {
    return leader;
  }

  @Override
  public void refreshRouting() {
    RaftPeerId id = client.getLeaderId();
    if (id != null) {
      leader = id.toString();
    }
  }

  /** Waits until the group has a leader that commits a write, or {@code timeoutMillis} passes. */
  public void awaitLeader(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!cluster.exited().isEmpty()) {
        throw new IllegalStateException("Ratis peers exited: " + cluster.exited());
      }
      try {
        put(0, false, new byte[1]).get();
        refreshRouting();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        last = new IllegalStateException(e.getCause());
      }
    }
    throw new IllegalStateException("no Ratis leader within " + timeoutMillis + " ms", last);
  }

  @Override
  public Map<String, Long> serverPids() {
    return cluster.pids();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      System.err.println("closing the Ratis client: " + e);
    }
  }
}
