package dev.catena.chain.protocol;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.WriteOp;

/**
 * An input to {@link ChainReplica#handle(Event)}. The runtime turns every external happening
 * (configuration from ZooKeeper, client call, message from a neighbour, storage durability, stream
 * state, lease state) into one event.
 */
public sealed interface Event {

  /** A configuration for this chain was read from the cluster store. */
  record ConfigChanged(ChainView view) implements Event {}

  /**
   * A client write arrived at this node.
   *
   * @param callId runtime handle used in the reply effect
   * @param op the write, carrying the client's (clientId, requestSeq)
   * @param clientEpoch the chain epoch the client routed by
   */
  record ClientWrite(long callId, WriteOp op, long clientEpoch) implements Event {}

  /**
   * A client read of one storage key arrived at this node.
   *
   * @param key the key the read touches, in the form of {@link WriteOps#keyOf}; null for a range
   *     read (listing), which waits until every write received is durable
   */
  record ClientRead(long callId, String key, long clientEpoch) implements Event {}

  /**
   * The successor {@code fromNode} asks to stream a snapshot for a join at {@code epoch}; granted
   * (by {@link Effect.GrantSnapshot}) once everything this replica received is durable.
   */
  record SnapshotGrant(long callId, String fromNode, long epoch) implements Event {}

  /**
   * The node's ZooKeeper session was replaced (it expired and the node registered again): the
   * coordinator has cut or will cut this node out of its chains, so it serves nothing in its
   * current epoch and waits for a newer configuration (§4a zombies: SIGSTOP past the session).
   */
  record SessionReplaced() implements Event {}

  /** A message from the predecessor (Forward or Reject). */
  record FromUpstream(ChainMessage message) implements Event {}

  /** A message from the successor (Hello, Ack or Reject). */
  record FromDownstream(String fromNode, ChainMessage message) implements Event {}

  /** The stream to the predecessor requested by {@link Effect.OpenUpstream} is open. */
  record UpstreamOpened(long epoch) implements Event {}

  /** The stream to the successor broke; forwarding stops until the successor says Hello again. */
  record DownstreamLost() implements Event {}

  /**
   * Every write with sequence number at most {@code seq} is durable in local storage. The runtime
   * reports it only when every persist up to {@code seq} completed: a persist that failed is
   * reported as {@link StorageFailed}, never skipped over by a later {@code Durable}.
   *
   * <p>{@code history} is the one of the {@link Effect.Persist} that reached {@code seq}: a replica
   * that rolled back its uncommitted writes since (a rejoin's snapshot install) ignores a report of
   * the older history, which names writes it no longer holds — or, at the same seq, a different
   * write that is not yet durable.
   */
  record Durable(long seq, long history) implements Event {}

  /**
   * Local storage failed (a persist threw or completed exceptionally, the disk is full, the writer
   * stopped): the replica stops for good (fail-stop). It never reports anything durable again,
   * answers every client call with {@code FENCED} and fails the calls waiting on it; only a restart
   * of the node, which then resyncs, brings it back.
   */
  record StorageFailed(String reason) implements Event {}

  /**
   * The node's lease or ZooKeeper session state changed. A fenced replica serves no reads and
   * accepts no writes (invariant 7).
   */
  record FenceChanged(boolean fenced) implements Event {}

  /**
   * The snapshot requested by {@link Effect.InstallSnapshot} is installed: local storage now holds
   * the predecessor's state as of at least {@code cut}, merged with every write forwarded since.
   *
   * @param dedup the exactly-once records now in local storage
   */
  record SnapshotInstalled(long cut, java.util.List<RecoveredState.DedupEntry> dedup)
      implements Event {}

  /** Installing the snapshot failed; the replica asks for a new one. */
  record SnapshotFailed(long cut, String reason) implements Event {}
}
