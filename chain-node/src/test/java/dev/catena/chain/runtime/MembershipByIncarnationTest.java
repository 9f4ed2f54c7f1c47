package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §4 invariant 7 and §4a "Zombies", at the runtime: a node acts in a chain only where the
 * chain lists it with the incarnation of its current registration, and a configuration that no
 * longer lists it ends its role there — it must not go on serving reads in an epoch the cluster has
 * left behind while clients with a lagging view still route to it.
 */
class MembershipByIncarnationTest {
  @TempDir Path dir;
  private DurableReplicaStore store;
  private NodeRuntime runtime;

  @BeforeEach
  void open() {
    store =
        new DurableReplicaStore(
            LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.NONE),
            SegmentChunkStore.open(dir.resolve("c"), FsyncPolicy.NONE, 1 << 20));
    runtime =
        new NodeRuntime(
            "n1", store, RuntimeFixtures.NO_PEERS, NodeFence.withoutSession("n1"), 16, 100);
  }

  @AfterEach
  void close() throws Exception {
    runtime.close();
    store.close();
  }

  private static ChainConfig chain(long epoch, String node, String incarnation) {
    return ChainConfig.newBuilder()
        .setChainId(0)
        .setEpoch(epoch)
        .addMembers(
            ChainMember.newBuilder()
                .setNodeId(node)
                .setState(MemberState.ACTIVE)
                .setIncarnation(incarnation))
        .build();
  }

  private String read(long epoch) throws Exception {
    var outcome = new RuntimeFixtures.Outcome();
    runtime.submitRead(0, epoch, "o/b/k", outcome);
    return outcome.result.get();
  }

  @Test
  void aChainThatNoLongerListsTheNodeEndsItsRole() throws Exception {
    runtime.applyConfiguration("a", Map.of(), List.of(chain(1, "n1", "a")));
    assertThat(read(1)).isEqualTo("served");

    // Epoch 2 moved the chain to n2 (n1 was cut out); a client still routing at epoch 1 asks n1.
    runtime.applyConfiguration("a", Map.of(), List.of(chain(2, "n2", "b")));
    assertThat(read(1)).isNotEqualTo("served");
    assertThat(read(2)).isNotEqualTo("served");
  }

  @Test
  void aListingUnderAnEarlierIncarnationIsNotServed() throws Exception {
    // A restarted process (incarnation "b") reads a chain still granted to its earlier life "a".
    runtime.applyConfiguration("b", Map.of(), List.of(chain(1, "n1", "a")));
    assertThat(read(1)).isNotEqualTo("served");

    // The coordinator grants the chain to the new registration in a later epoch.
    runtime.applyConfiguration("b", Map.of(), List.of(chain(2, "n1", "b")));
    assertThat(read(2)).isEqualTo("served");
  }

  @Test
  void aReplacedRegistrationStopsServingTheEpochItHeld() throws Exception {
    runtime.applyConfiguration("a", Map.of(), List.of(chain(1, "n1", "a")));
    assertThat(read(1)).isEqualTo("served");

    // Same process, new session after expiry: registration "c"; the chain is still at epoch 1.
    runtime.applyConfiguration("c", Map.of(), List.of(chain(1, "n1", "a")));
    assertThat(read(1)).isNotEqualTo("served");

    // Not even a later epoch that still names the old registration brings it back.
    runtime.applyConfiguration("c", Map.of(), List.of(chain(2, "n1", "a")));
    assertThat(read(1)).isNotEqualTo("served");
    assertThat(read(2)).isNotEqualTo("served");

    runtime.applyConfiguration("c", Map.of(), List.of(chain(3, "n1", "c")));
    assertThat(read(3)).isEqualTo("served");
  }
}
