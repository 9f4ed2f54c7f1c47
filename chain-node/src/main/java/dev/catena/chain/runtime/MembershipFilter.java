package dev.catena.chain.runtime;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which event a stored chain configuration is for this node's replica (DESIGN §4 invariant 7 and
 * §4a "Zombies"). The node is a member of a chain only where the chain lists it with the
 * incarnation of its current registration. A listing under another incarnation belongs to an
 * earlier life of the node (before a restart or a session replacement): it creates no replica, and
 * an existing replica gets {@link Event.SessionReplaced} (it serves nothing until a later epoch
 * lists the current life). A chain that does not list the node at all still reaches an existing
 * replica as {@link Event.ConfigChanged}, which moves it to NOT_MEMBER.
 *
 * <p>Pure and stateless.
 */
public final class MembershipFilter {
  private final String nodeId;

  /**
   * @param nodeId this node's id
   */
  public MembershipFilter(String nodeId) {
    this.nodeId = nodeId;
  }

  /**
   * The event {@code config} means for this node's replica of its chain.
   *
   * @param incarnation the incarnation of this node's current registration
   * @param replicaEpoch the epoch of the node's replica of the chain; empty if it runs none
   * @return empty if the configuration is none of this node's business (no replica, and not a
   *     member in this life; or older than the replica's: a configuration read late says nothing
   *     about the current life); otherwise the event, for a replica to be created first if there is
   *     none
   */
  public Optional<Event> eventFor(
      String incarnation, ChainConfig config, OptionalLong replicaEpoch) {
    boolean hasReplica = replicaEpoch.isPresent();
    if (hasReplica && config.getEpoch() < replicaEpoch.getAsLong()) {
      // Found by the simulation: a listing under the previous life, read after the node had a
      // newer epoch listing its current one, stopped a serving tail for good (it waited for an
      // epoch above the one it had, and the chain was settled).
      return Optional.empty();
    }
    Optional<ChainMember> listed =
        config.getMembersList().stream().filter(m -> m.getNodeId().equals(nodeId)).findFirst();
    boolean member = listed.isPresent() && listed.get().getIncarnation().equals(incarnation);
    if (!hasReplica && !member) {
      return Optional.empty();
    }
    if (listed.isPresent() && !member) {
      // Listed for an earlier life of this node: not ours to act on, and whatever epoch we hold
      // must not be served in any more (the coordinator removes that membership).
      return Optional.of(new Event.SessionReplaced());
    }
    return Optional.of(new Event.ConfigChanged(ChainView.fromConfig(config)));
  }
}
