package dev.catena.tests.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Options of one {@link FaultRunner} run, validated on construction ({@link
 * InvalidCheckOptionsException}).
 *
 * @param nodes node processes (≥ chain length; one more than the chain length leaves a spare)
 * @param chainLength replicas per chain
 * @param time how long the workload and the nemesis run
 * @param clients concurrent client threads
 * @param keys size of the keyspace
 * @param nemesis the faults to inject
 * @param out directory for the cluster's data and the artifacts
 * @param seed seed of every random choice (keys, values, fault schedule, ports)
 * @param sessionTimeout the nodes' ZooKeeper session timeout
 * @param requestTimeout each client operation's whole budget, retries included ({@link
 *     #DEFAULT_REQUEST_TIMEOUT}): short, so faults leave operations of unknown outcome (INFO) for
 *     the checker to place; long (e.g. 20 s) for availability runs, where retries ride out faults
 */
public record FaultOptions(
    int nodes,
    int chainLength,
    Duration time,
    int clients,
    int keys,
    Set<NemesisKind> nemesis,
    Path out,
    long seed,
    Duration sessionTimeout,
    Duration requestTimeout) {

  /** A client operation's default budget, retries included. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1);

  public FaultOptions {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    nemesis = nemesis.isEmpty() ? EnumSet.noneOf(NemesisKind.class) : EnumSet.copyOf(nemesis);
    if (chainLength < 1 || nodes < chainLength || nodes > 9) {
      throw new InvalidCheckOptionsException(
          "need 1 <= chain length <= nodes <= 9, got nodes="
              + nodes
              + " chain length="
              + chainLength);
    }
    if (clients < 1 || clients > 64) {
      throw new InvalidCheckOptionsException("clients must be 1..64, got " + clients);
    }
    if (keys < 1 || keys > 10_000) {
      throw new InvalidCheckOptionsException("keys must be 1..10000, got " + keys);
    }
    if (time.isNegative() || time.isZero()) {
      throw new InvalidCheckOptionsException("time must be positive, got " + time);
    }
    if (sessionTimeout.toMillis() < 1_000 || sessionTimeout.toMillis() > 10_000) {
      throw new InvalidCheckOptionsException("session timeout must be 1..10 s");
    }
    if (requestTimeout.toMillis() < 100 || requestTimeout.toMillis() > 120_000) {
      throw new InvalidCheckOptionsException(
          "request timeout must be 100 ms..120 s, got " + requestTimeout.toMillis() + " ms");
    }
    if (NemesisKind.injectsFaults(nemesis) && chainLength < 2) {
      throw new InvalidCheckOptionsException(
          "faults that take a node down need chain length >= 2 (else data is unavailable)");
    }
  }
}
