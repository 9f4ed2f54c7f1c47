package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DESIGN §4 invariant 7, §4a "Zombies": memberships count only for the current incarnation. */
class MembershipFilterTest {
  private static final OptionalLong NONE = OptionalLong.empty();
  private static final OptionalLong AT_5 = OptionalLong.of(5); // the configurations' epoch

  private final MembershipFilter n1 = new MembershipFilter("n1");

  private static ChainMember member(String node, String incarnation, MemberState state) {
    return ChainMember.newBuilder()
        .setNodeId(node)
        .setIncarnation(incarnation)
        .setState(state)
        .build();
  }

  private static ChainConfig chain(ChainMember... members) {
    return ChainConfig.newBuilder()
        .setChainId(7)
        .setEpoch(5)
        .addAllMembers(List.of(members))
        .build();
  }

  @Test
  void aListingUnderTheCurrentIncarnationIsAConfigurationChange() {
    ChainConfig c =
        chain(
            member("n2", "x", MemberState.ACTIVE),
            member("n1", "b", MemberState.ACTIVE),
            member("n3", "y", MemberState.SYNCING));
    assertThat(n1.eventFor("b", c, NONE))
        .contains(
            new Event.ConfigChanged(
                new ChainView(7, 5, List.of("n2", "n1"), List.of("n3"), Set.of())));
  }

  @Test
  void aListingUnderAnEarlierIncarnationReadLateIsIgnored() {
    ChainConfig c = chain(member("n1", "a", MemberState.ACTIVE)); // epoch 5, the earlier life
    assertThat(n1.eventFor("b", c, OptionalLong.of(6))).isEmpty();
    ChainConfig older = chain(member("n1", "b", MemberState.ACTIVE));
    assertThat(n1.eventFor("b", older, OptionalLong.of(6))).isEmpty();
  }

  @Test
  void aListingUnderAnEarlierIncarnationCreatesNothingAndStopsAnExistingReplica() {
    ChainConfig c = chain(member("n1", "a", MemberState.ACTIVE));
    assertThat(n1.eventFor("b", c, NONE)).isEmpty();
    assertThat(n1.eventFor("b", c, AT_5)).contains(new Event.SessionReplaced());
  }

  @Test
  void aChainWithoutTheNodeReachesOnlyAnExistingReplica() {
    ChainConfig c = chain(member("n2", "x", MemberState.ACTIVE));
    assertThat(n1.eventFor("b", c, NONE)).isEqualTo(Optional.empty());
    assertThat(n1.eventFor("b", c, AT_5))
        .contains(new Event.ConfigChanged(ChainView.of(7, 5, List.of("n2"))));
  }

  @Test
  void leavingMembersAreCarriedIntoTheView() {
    ChainMember leaving =
        member("n2", "x", MemberState.ACTIVE).toBuilder().setLeaving(true).build();
    ChainConfig c = chain(member("n1", "b", MemberState.ACTIVE), leaving);
    assertThat(ChainView.fromConfig(c).leaving()).containsExactly("n2");
    assertThat(ChainView.fromConfig(c).servesReads("n2")).isFalse();
  }
}
