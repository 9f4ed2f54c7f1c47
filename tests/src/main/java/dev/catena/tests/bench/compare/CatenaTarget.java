package dev.catena.tests.bench.compare;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.PutOptions;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.ShardMap;
import dev.catena.tests.bench.failover.BenchCluster;
import dev.catena.tests.bench.failover.ChainKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A Catena configuration as a {@link BenchTarget}: a {@link CatenaClient} against a {@link
 * BenchCluster}, with key names either restricted to one chain ({@code onlyChain ≥ 0}) or spread
 * over all chains by the placement hash. A read is charged to the tail of the key's chain. The
 * cluster and client belong to the caller ({@link #close()} closes neither): two configurations may
 * share them.
 */
public final class CatenaTarget implements BenchTarget {
  static final String BUCKET = "bench";

  private final SystemConfig config;
  private final BenchCluster cluster;
  private final CatenaClient client;
  private final Executor drain;
  private final String[] smallKeys;
  private final String[] largeKeys;
  private final int[] smallChains;
  private final int[] largeChains;
  private volatile Map<Integer, String> tails = Map.of();

  /**
   * @param onlyChain the chain every key must belong to, or -1 for keys of all chains
   * @param drain where gets read their content (never a gRPC thread)
   */
  public CatenaTarget(
      SystemConfig config,
      BenchCluster cluster,
      CatenaClient client,
      Executor drain,
      int onlyChain,
      int smallKeyCount,
      int largeKeyCount) {
    this.config = config;
    this.cluster = cluster;
    this.client = client;
    this.drain = drain;
    ShardMap map = cluster.shardMap();
    String prefix = config.label() + "-";
    this.smallKeys = keys(map, onlyChain, prefix + "k", smallKeyCount);
    this.largeKeys = keys(map, onlyChain, prefix + "big", largeKeyCount);
    this.smallChains = chains(map, smallKeys);
    this.largeChains = chains(map, largeKeys);
    refreshRouting();
  }

  /** {@code count} keys {@code prefix<n>}, all on {@code chain} unless it is negative. */
  static String[] keys(ShardMap map, int chain, String prefix, int count) {
    String[] out = new String[count];
    int n = 0;
    for (int i = 0; n < count; i++) {
      if (i > count * 100 + 1_000_000) {
        throw new IllegalStateException("too few keys on chain " + chain);
      }
      String k = prefix + i;
      if (chain < 0 || ChainKeys.chainOf(map, BUCKET, k) == chain) {
        out[n++] = k;
      }
    }
    return out;
  }

  private static int[] chains(ShardMap map, String[] keys) {
    int[] out = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = ChainKeys.chainOf(map, BUCKET, keys[i]);
    }
    return out;
  }

  @Override
  public SystemConfig config() {
    return config;
  }

  @Override
  public CompletableFuture<?> put(int i, boolean large, byte[] value) {
    String key = large ? largeKeys[i] : smallKeys[i];
    return client.putObjectAsync(BUCKET, key, value, PutOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<?> get(int i, boolean large) {
    String key = large ? largeKeys[i] : smallKeys[i];
    return client.getObjectAsync(BUCKET, key).thenApplyAsync(CatenaTarget::readAll, drain);
  }

  private static int readAll(ObjectContent c) {
    try (c) {
      byte[] buf = new byte[64 << 10];
      int total = 0;
      for (int n; (n = c.stream().read(buf)) >= 0; ) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String readServer(int i, boolean large) {
    int chain = large ? largeChains[i] : smallChains[i];
    return tails.getOrDefault(chain, "?");
  }

  @Override
  public void refreshRouting() {
    var t = new HashMap<Integer, String>();
    for (ChainConfig c : cluster.chains().values()) {
      String tail = null;
      for (ChainMember m : c.getMembersList()) {
        if (m.getState() == MemberState.ACTIVE) {
          tail = m.getNodeId();
        }
      }
      if (tail != null) {
        t.put(c.getChainId(), tail);
      }
    }
    tails = Map.copyOf(t);
  }

  @Override
  public Map<String, Long> serverPids() {
    return cluster.pids();
  }

  @Override
  public void close() {}
}
