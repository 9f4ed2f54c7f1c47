package dev.catena.chain.protocol;

/**
 * A consistent snapshot of one replica's counters, for tests, status reports and metrics.
 *
 * @param last highest seq received in order
 * @param durable highest seq durable locally
 * @param acked highest seq answered (head) or acknowledged upstream
 * @param pending writes held for neighbours (the Sent list)
 * @param pendingBytes their encoded size in bytes
 * @param awaitingConfig the replica has seen a newer epoch than its configuration
 * @param joinLag while SYNCING, the join's lag in seqs behind what its predecessor sent; -1 in any
 *     other role
 */
public record ReplicaStatus(
    String nodeId,
    int chainId,
    long epoch,
    Role role,
    long last,
    long durable,
    long acked,
    int pending,
    long pendingBytes,
    boolean fenced,
    boolean awaitingConfig,
    long joinLag) {}
