package dev.catena.tests.bench;

import java.nio.file.Path;

/**
 * Parameters of {@link ChainLengthBenchmark}, read from system properties.
 *
 * @param rounds interleaved rounds (each runs every chain length once)
 * @param ops maximum requests per measured phase
 * @param seconds maximum duration of a measured phase
 * @param inFlight requests outstanding at once
 * @param valueBytes object size
 * @param keys distinct keys written and read
 * @param out directory for the JSON and Markdown results
 */
record BenchConfig(
    int rounds, int ops, int seconds, int inFlight, int valueBytes, int keys, Path out) {

  BenchConfig {
    if (rounds < 1 || ops < 1 || seconds < 1 || inFlight < 1 || valueBytes < 0 || keys < 1) {
      throw new IllegalArgumentException("benchmark parameters must be positive");
    }
  }

  /** The same configuration with a quarter of the requests and half the time per phase. */
  BenchConfig forWarmUp() {
    return new BenchConfig(
        1, Math.max(1, ops / 4), Math.max(1, seconds / 2), inFlight, valueBytes, keys, out);
  }

  static BenchConfig fromSystemProperties() {
    return new BenchConfig(
        Integer.getInteger("bench.rounds", 3),
        Integer.getInteger("bench.ops", 40_000),
        Integer.getInteger("bench.seconds", 10),
        Integer.getInteger("bench.inFlight", 64),
        Integer.getInteger("bench.valueBytes", 1024),
        Integer.getInteger("bench.keys", 5_000),
        Path.of(System.getProperty("bench.out", "target/bench")));
  }
}
