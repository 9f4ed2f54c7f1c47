package dev.catena.tests.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of OS processes from {@code /proc/<pid>/stat}: user + system time ({@code utime} and
 * {@code stime}, fields 14 and 15), in clock ticks of {@code 1 / ticksPerSecond} s (100 Hz on Linux
 * unless the kernel says otherwise). A process that has exited, or a system without {@code /proc},
 * reads as -1.
 */
final class ProcCpu {
  private final long ticksPerSecond;

  ProcCpu(long ticksPerSecond) {
    if (ticksPerSecond <= 0) {
      throw new IllegalArgumentException("ticks per second must be positive");
    }
    this.ticksPerSecond = ticksPerSecond;
  }

  /** The Linux default (USER_HZ = 100), which every mainstream architecture uses. */
  static ProcCpu linux() {
    return new ProcCpu(100);
  }

  /**
   * {@code utime + stime} in ticks from the text of a {@code stat} file.
   *
   * @throws IllegalArgumentException if the text is not a stat line
   */
  static long parseTicks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    if (f.length < 13) {
      throw new IllegalArgumentException("too few fields in /proc stat line: " + stat);
    }
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** CPU nanoseconds used so far by {@code pid}, or -1 if it cannot be read. */
  long cpuNanos(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return parseTicks(s) * (1_000_000_000L / ticksPerSecond);
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** {@link #cpuNanos} of every process in {@code pids} (id → pid). */
  Map<String, Long> sample(Map<String, Long> pids) {
    var out = new TreeMap<String, Long>();
    pids.forEach((id, pid) -> out.put(id, cpuNanos(pid)));
    return out;
  }

  /** Per-process CPU between two samples; processes unreadable in either sample count as 0. */
  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    var out = new TreeMap<String, Long>();
    after.forEach(
        (id, a) -> {
          Long b = before.get(id);
          out.put(id, b == null || b < 0 || a < 0 ? 0L : Math.max(0, a - b));
        });
    return out;
  }
}
