package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.PutOptions;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain replication end to end on a real cluster: ZooKeeper, the coordinator's own bootstrap, three
 * storage nodes with LevelDB, and the public client.
 */
class ChainReplicationIT {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static CatenaClient client;

  @BeforeAll
  static void start() {
    cluster = InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start();
    cluster.awaitReady();
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** DESIGN §3 rotated chain tables: N chains of R, every node head of one and tail of one. */
  @Test
  void coordinatorPublishesRotatedChainsWithBalancedRoles() {
    Map<Integer, ChainConfig> chains = cluster.chains();
    assertThat(chains).hasSize(3);
    Map<String, Integer> heads = new TreeMap<>();
    Map<String, Integer> tails = new TreeMap<>();
    for (ChainConfig c : chains.values()) {
      List<String> members = new ArrayList<>();
      for (ChainMember m : c.getMembersList()) {
        assertThat(m.getState()).as("chain %d", c.getChainId()).isEqualTo(MemberState.ACTIVE);
        members.add(m.getNodeId());
      }
      assertThat(members).as("chain %d", c.getChainId()).hasSize(3).doesNotHaveDuplicates();
      assertThat(cluster.nodeIds()).containsAll(members);
      heads.merge(members.get(0), 1, Integer::sum);
      tails.merge(members.get(members.size() - 1), 1, Integer::sum);
    }
    Map<String, Integer> oneEach = new TreeMap<>();
    cluster.nodeIds().forEach(id -> oneEach.put(id, 1));
    assertThat(heads).as("heads per node").isEqualTo(oneEach);
    assertThat(tails).as("tails per node").isEqualTo(oneEach);
    // The shard map spreads shards over all three chains.
    assertThat(new HashSet<>(cluster.shardMap().orElseThrow().getChainIdsList()))
        .containsExactlyInAnyOrderElementsOf(chains.keySet());
  }

  @Test
  void thousandSmallObjectsRoundTripByteExact() throws IOException {
    client.createBucket("small");
    var rnd = new SplittableRandom(20261123);
    Map<String, byte[]> model = new HashMap<>();
    List<CompletableFuture<ObjectMetadata>> puts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] v = new byte[rnd.nextInt(0, 4096)];
      rnd.nextBytes(v);
      String key = "obj/" + i;
      model.put(key, v);
      puts.add(client.putObjectAsync("small", key, v, PutOptions.DEFAULT));
      if (puts.size() == 64) {
        puts.forEach(CompletableFuture::join);
        puts.clear();
      }
    }
    puts.forEach(CompletableFuture::join);
    for (var e : model.entrySet()) {
      try (ObjectContent c = client.getObject("small", e.getKey())) {
        assertThat(c.readAllBytes()).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  /**
   * DESIGN §4 invariants 4 and 5: a write is acknowledged only after the tail has it, and reads go
   * to the tail, so a read issued after the acknowledgement — here by a second client with its own
   * view — sees it (or a later write).
   */
  @Test
  void readAfterAcknowledgedWriteSeesIt() throws IOException {
    client.createBucket("raw");
    try (CatenaClient reader = cluster.client()) {
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 300; i++) {
          String key = "k" + i;
          byte[] v = ("round " + round + " value of " + key).getBytes(StandardCharsets.UTF_8);
          client.putObject("raw", key, v);
          try (ObjectContent c = reader.getObject("raw", key)) {
            assertThat(c.readAllBytes()).as("round %d key %s", round, key).isEqualTo(v);
          }
        }
      }
    }
  }
}
