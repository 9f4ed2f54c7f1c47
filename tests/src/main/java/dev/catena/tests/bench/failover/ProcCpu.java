package dev.catena.tests.bench.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of Linux processes and threads as the kernel accounts it ({@code proc(5)}): user and
 * system time of a process ({@code /proc/<pid>/stat}, fields 14 and 15, every thread's time
 * included, exited ones too), of each of its live threads ({@code /proc/<pid>/task/<tid>/stat},
 * with the thread's name) and of the whole machine ({@code /proc/stat}, first line). Times are in
 * clock ticks ({@code getconf CLK_TCK}, read once). The parsers are pure.
 */
public final class ProcCpu {
  /** User and system time, in clock ticks. */
  public record Ticks(long user, long system) {
    /** {@code this - earlier}. */
    public Ticks minus(Ticks earlier) {
      return new Ticks(user - earlier.user, system - earlier.system);
    }

    /** {@code this + other}. */
    public Ticks plus(Ticks other) {
      return new Ticks(user + other.user, system + other.system);
    }

    public long total() {
      return user + system;
    }
  }

  /** One thread: its name ({@code comm}, at most 15 characters) and its times. */
  public record ThreadTicks(String name, Ticks ticks) {}

  /**
   * The machine's CPU time since boot, all CPUs together, in clock ticks: user (with nice), system,
   * interrupts (hard and soft: the receive side of loopback TCP runs there), I/O wait and idle
   * (steal counted as busy in {@link #busy()}).
   */
  public record MachineTicks(
      long user, long system, long interrupts, long ioWait, long idle, long steal) {
    /** {@code this - earlier}. */
    public MachineTicks minus(MachineTicks e) {
      return new MachineTicks(
          user - e.user,
          system - e.system,
          interrupts - e.interrupts,
          ioWait - e.ioWait,
          idle - e.idle,
          steal - e.steal);
    }

    /** Every tick in which a CPU did work (not idle, not waiting for I/O). */
    public long busy() {
      return user + system + interrupts + steal;
    }
  }

  private static final long TICKS_PER_SECOND = readClockTicks();

  private ProcCpu() {}

  /** Clock ticks per second ({@code getconf CLK_TCK}; 100 if it cannot be run). */
  public static long ticksPerSecond() {
    return TICKS_PER_SECOND;
  }

  /** {@code ticks} in seconds. */
  public static double seconds(long ticks) {
    return (double) ticks / TICKS_PER_SECOND;
  }

  /** The process's user and system time (every thread it ever had). */
  public static Ticks process(long pid) throws IOException {
    return parseStat(read(Path.of("/proc", Long.toString(pid), "stat"))).ticks();
  }

  /**
   * The live threads of process {@code pid} by thread id. A thread that ends while the directory is
   * listed is skipped.
   */
  public static Map<Long, ThreadTicks> threads(long pid) throws IOException {
    var out = new TreeMap<Long, ThreadTicks>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      for (Path t : ds) {
        try {
          out.put(Long.parseLong(t.getFileName().toString()), parseStat(read(t.resolve("stat"))));
        } catch (NoSuchFileException gone) {
          // the thread ended after the listing
        }
      }
    }
    return out;
  }

  /** The machine's CPU time since boot. */
  public static MachineTicks machine() throws IOException {
    return parseMachine(read(Path.of("/proc/stat")));
  }

  /**
   * Parses a {@code stat} line of a process or thread: the name is between the first {@code (} and
   * the last {@code )} (it may hold spaces and parentheses); utime and stime are fields 14 and 15.
   *
   * @throws IllegalArgumentException if the line is not such a line
   */
  public static ThreadTicks parseStat(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a stat line: " + line);
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    if (f.length < 13) {
      throw new IllegalArgumentException("stat line too short: " + line);
    }
    return new ThreadTicks(
        line.substring(open + 1, close),
        new Ticks(Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3])));
  }

  /**
   * Parses the first line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq
   * softirq steal …}.
   *
   * @throws IllegalArgumentException if it does not start with such a line
   */
  public static MachineTicks parseMachine(String text) {
    String first = text.lines().findFirst().orElse("");
    String[] f = first.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      throw new IllegalArgumentException("not /proc/stat: " + first);
    }
    long[] v = new long[8];
    for (int i = 0; i < 8; i++) {
      v[i] = Long.parseLong(f[i + 1]);
    }
    return new MachineTicks(v[0] + v[1], v[2], v[5] + v[6], v[4], v[3], v[7]);
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
  }

  private static long readClockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return p.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
