package dev.catena.tests.bench.compare;

/**
 * Raw sequential disk speed measured in the same run, in the benchmark's data directory: plain
 * {@code FileChannel} writes of 4 MiB blocks followed by one {@code force}, and reads of the same
 * bytes.
 *
 * @param bytes bytes written and read
 * @param writeMegabytesPerSecond write + fsync, MB/s (10^6 bytes)
 * @param readMegabytesPerSecond read back, MB/s
 */
public record DiskBaseline(
    long bytes, double writeMegabytesPerSecond, double readMegabytesPerSecond) {}
