package dev.catena.tests.sim;

import dev.catena.tests.history.History;

/**
 * Outcome of a simulation run that passed every check.
 *
 * @param seed the seed
 * @param traceHash SHA-256 of the full trace: equal seeds give equal hashes
 * @param steps events executed
 * @param nodes storage nodes
 * @param replication chain length
 * @param ackedWrites writes acknowledged to clients
 * @param anomalies {@code Anomaly} effects the protocol reported
 * @param counters how often each kind of fault and outcome occurred
 * @param history the checked client history (final reads included)
 */
public record SimResult(
    long seed,
    String traceHash,
    long steps,
    int nodes,
    int replication,
    int ackedWrites,
    long anomalies,
    java.util.SortedMap<String, Long> counters,
    History history) {}
