package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rotated target of the config-manager README ("Target = the rotated table"). */
class RoleLayoutTest {
  @Test
  void rotatedTargetOverFourNodes() {
    var target = RoleLayout.target(List.of(2, 0, 1), List.of("n3", "n1", "n4", "n2"), 3);
    assertThat(target)
        .containsExactly(
            Map.entry(0, List.of("n1", "n2", "n3")),
            Map.entry(1, List.of("n2", "n3", "n4")),
            Map.entry(2, List.of("n3", "n4", "n1")));
  }

  @Test
  void layoutMarksSyncingMembersAndFindsTheChainsANodeEnters() {
    var c0 =
        ChainConfig.newBuilder()
            .setChainId(0)
            .addMembers(member("n1", MemberState.ACTIVE))
            .addMembers(member("n2", MemberState.ACTIVE))
            .addMembers(member("n3", MemberState.ACTIVE))
            .build();
    var c1 =
        ChainConfig.newBuilder()
            .setChainId(1)
            .addMembers(member("n2", MemberState.ACTIVE))
            .addMembers(member("n3", MemberState.ACTIVE))
            .addMembers(member("n4", MemberState.SYNCING))
            .build();
    var layout = RoleLayout.of(List.of(c1, c0));
    assertThat(layout.get(1)).containsExactly("n2", "n3", "n4*");
    var target = RoleLayout.target(List.of(0, 1), List.of("n1", "n2", "n3", "n4"), 3);
    // n4 is only SYNCING ("n4*") in chain 1, so it has still to enter it.
    assertThat(RoleLayout.entering(layout, target, "n4")).containsExactly(1);
    assertThat(RoleLayout.entering(target, target, "n4")).isEmpty();
    assertThat(RoleLayout.entering(layout, target, "n1")).isEmpty();
  }

  private static ChainMember member(String id, MemberState s) {
    return ChainMember.newBuilder().setNodeId(id).setState(s).build();
  }
}
