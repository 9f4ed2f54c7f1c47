package dev.catena.deploy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whom the scrubber asks for a good copy of a chunk: the other ACTIVE members, tail end first — the
 * tail for a head or a middle, the predecessor for a tail — never itself or a joiner.
 */
@Timeout(10)
class PeerChunkSourceTest {
  private static final ChainConfig CHAIN =
      ChainConfig.newBuilder()
          .setChainId(1)
          .setEpoch(4)
          .addMembers(member("a", MemberState.ACTIVE))
          .addMembers(member("b", MemberState.ACTIVE))
          .addMembers(member("c", MemberState.ACTIVE))
          .addMembers(member("d", MemberState.SYNCING))
          .build();

  private static ChainMember member(String id, MemberState state) {
    return ChainMember.newBuilder().setNodeId(id).setState(state).build();
  }

  @Test
  void aTailAsksItsPredecessorFirst() {
    assertThat(PeerChunkSource.sources(CHAIN, "c")).containsExactly("b", "a");
  }

  @Test
  void aHeadOrMiddleAsksTheTailFirst() {
    assertThat(PeerChunkSource.sources(CHAIN, "a")).containsExactly("c", "b");
    assertThat(PeerChunkSource.sources(CHAIN, "b")).containsExactly("c", "a");
  }

  @Test
  void aJoinerIsNeverAsked() {
    assertThat(PeerChunkSource.sources(CHAIN, "d")).containsExactly("c", "b", "a");
  }
}
