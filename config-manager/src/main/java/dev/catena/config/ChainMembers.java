package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chain configuration split into its ACTIVE members (head first, tail last) and its SYNCING
 * members (after the tail), with builders for the next configuration (epoch + 1). Members kept by a
 * builder keep the incarnation they were granted to; a joiner is granted the incarnation given.
 * Package-private helper of {@link Reconfigurer}; pure.
 */
record ChainMembers(ChainConfig config, List<String> active, List<String> syncing) {
  ChainMembers {
    active = List.copyOf(active);
    syncing = List.copyOf(syncing);
  }

  static ChainMembers of(ChainConfig config) {
    List<String> active = new ArrayList<>();
    List<String> syncing = new ArrayList<>();
    for (ChainMember m : config.getMembersList()) {
      (m.getState() == MemberState.SYNCING ? syncing : active).add(m.getNodeId());
    }
    return new ChainMembers(config, active, syncing);
  }

  int chainId() {
    return config.getChainId();
  }

  boolean contains(String node) {
    return active.contains(node) || syncing.contains(node);
  }

  /** The incarnation {@code node}'s membership was granted to ("" if not listed or unknown). */
  String incarnation(String node) {
    for (ChainMember m : config.getMembersList()) {
      if (m.getNodeId().equals(node)) {
        return m.getIncarnation();
      }
    }
    return "";
  }

  String tail() {
    return active.get(active.size() - 1);
  }

  /** Next configuration with {@code node} removed (ACTIVE or SYNCING). */
  ChainConfig without(String node) {
    List<String> a = new ArrayList<>(active);
    List<String> s = new ArrayList<>(syncing);
    a.remove(node);
    s.remove(node);
    return build(a, s);
  }

  /** Next configuration with {@code node} appended as SYNCING after the tail, for {@code inc}. */
  ChainConfig withJoiner(String node, String inc) {
    List<String> s = new ArrayList<>(syncing);
    s.add(node);
    return build(active, s, Map.of(node, inc));
  }

  /**
   * Next configuration with the same members, {@code node}'s membership granted to incarnation
   * {@code inc} (its node re-registered and is the last copy of the chain's data).
   */
  ChainConfig regranted(String node, String inc) {
    return build(active, syncing, Map.of(node, inc));
  }

  /** Next configuration with SYNCING {@code node} promoted to ACTIVE, as the new tail. */
  ChainConfig promoted(String node) {
    List<String> a = new ArrayList<>(active);
    List<String> s = new ArrayList<>(syncing);
    s.remove(node);
    a.add(node);
    return build(a, s);
  }

  private ChainConfig build(List<String> newActive, List<String> newSyncing) {
    return build(newActive, newSyncing, Map.of());
  }

  private ChainConfig build(
      List<String> newActive, List<String> newSyncing, Map<String, String> granted) {
    ChainConfig.Builder b =
        ChainConfig.newBuilder().setChainId(config.getChainId()).setEpoch(config.getEpoch() + 1);
    newActive.forEach(n -> b.addMembers(member(n, MemberState.ACTIVE, granted)));
    newSyncing.forEach(n -> b.addMembers(member(n, MemberState.SYNCING, granted)));
    return b.build();
  }

  private ChainMember member(String node, MemberState state, Map<String, String> granted) {
    return ChainMember.newBuilder()
        .setNodeId(node)
        .setState(state)
        .setIncarnation(granted.getOrDefault(node, incarnation(node)))
        .build();
  }
}
