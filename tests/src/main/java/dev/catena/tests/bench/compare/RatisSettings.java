package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;

/**
 * The Ratis configuration of the benchmark's Raft reference, shared by the peers and the client.
 *
 * <p><b>Durability</b> follows Catena's {@code --fsync} policy: {@code group} and {@code always}
 * flush the Raft log before an entry counts towards the commit quorum ({@code
 * raft.server.log.unsafe-flush.enabled=false}, {@code async-flush.enabled=false}); {@code always}
 * also forces after every entry ({@code force.sync.num=1}) while {@code group} lets one force cover
 * up to 128 queued entries (Ratis' own group commit); {@code none} acknowledges before the flush
 * ({@code unsafe-flush.enabled=true}).
 *
 * <p><b>Throughput</b> settings, from Ratis' configuration documentation and its log service tuning
 * notes, so that Raft is measured at its best: larger log write buffer (40 MiB instead of 64 KiB;
 * Ratis requires it to exceed the appender batch), appender batches of up to 32 MiB per
 * AppendEntries, 64 MiB gRPC messages and a 16 MiB flow control window, 64 MiB log segments, deeper
 * pending-write and client queues, and election timeouts of 1–2 s so that a loaded two-core machine
 * does not trigger elections in the middle of a phase. The appender's minimum wait between appends
 * stays at its default (10 ms): with 0 ms the leader's appenders spin, and one A/B run measured 125
 * instead of 587 puts/s at 64 in flight and 11.4 instead of 2.4 ms of CPU per put.
 */
public final class RatisSettings {
  /** The one Raft group of the benchmark. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.fromString("0c0a7e4a-0000-4000-8000-62656e636821"));

  private RatisSettings() {}

  /**
   * The properties for {@code fsync} (a Catena {@code --fsync} value), with {@code overrides}
   * (Ratis keys, from {@code --ratis-property}) replacing or adding settings.
   */
  public static RaftProperties properties(FsyncPolicy fsync, Map<String, String> overrides) {
    var p = new RaftProperties();
    settings(fsync, overrides).forEach(p::set);
    return p;
  }

  /** The settings as key/value pairs (reported in the benchmark's JSON). */
  public static Map<String, String> settings(FsyncPolicy fsync, Map<String, String> overrides) {
    var m = defaults(fsync);
    m.putAll(overrides);
    return m;
  }

  private static Map<String, String> defaults(FsyncPolicy fsync) {
    var m = new LinkedHashMap<String, String>();
    m.put("raft.server.log.unsafe-flush.enabled", Boolean.toString(fsync == FsyncPolicy.NONE));
    m.put("raft.server.log.async-flush.enabled", "false");
    m.put("raft.server.log.force.sync.num", fsync == FsyncPolicy.ALWAYS ? "1" : "128");
    m.put("raft.server.log.write.buffer.size", "40MB");
    m.put("raft.server.log.segment.size.max", "64MB");
    m.put("raft.server.log.queue.byte-limit", "256MB");
    m.put("raft.server.log.appender.buffer.byte-limit", "32MB");
    m.put("raft.server.write.element-limit", "16384");
    m.put("raft.server.write.byte-limit", "512MB");
    m.put("raft.grpc.message.size.max", "64MB");
    m.put("raft.grpc.flow.control.window", "16MB");
    m.put("raft.grpc.server.leader.outstanding.appends.max", "256");
    m.put("raft.client.async.outstanding-requests.max", "1024");
    m.put("raft.client.rpc.request.timeout", "30s");
    m.put("raft.server.rpc.timeout.min", "1000ms");
    m.put("raft.server.rpc.timeout.max", "2000ms");
    m.put("raft.server.rpc.request.timeout", "10s");
    m.put("raft.server.snapshot.auto.trigger.enabled", "false");
    return m;
  }

  /** The group of peers {@code p1..pN} on localhost, peer {@code i} at {@code basePort + i}. */
  public static RaftGroup group(int peers, int basePort) {
    RaftPeer[] list = new RaftPeer[peers];
    for (int i = 1; i <= peers; i++) {
      list[i - 1] =
          RaftPeer.newBuilder().setId(peerId(i)).setAddress("127.0.0.1:" + (basePort + i)).build();
    }
    return RaftGroup.valueOf(GROUP_ID, List.of(list));
  }

  /** The id of peer {@code i}: {@code p<i>}. */
  public static String peerId(int i) {
    return "p" + i;
  }
}
