package dev.catena.tests.bench.compare;

import java.util.List;

/**
 * The workloads of {@code catena bench}: what one operation is, which load modes it runs in and its
 * value size. {@link #GET_1K_LIMITED} is the 1 KiB read load with the per-node read capacity limit
 * applied (the rotation claim); the others run without it.
 */
public enum Workload {
  PUT_1K("put-1k", 0.0, false, Modes.STANDARD),
  GET_1K("get-1k", 1.0, false, Modes.STANDARD),
  YCSB_A("ycsb-a", 0.5, false, Modes.STANDARD),
  YCSB_B("ycsb-b", 0.95, false, Modes.STANDARD),
  GET_1K_LIMITED("get-1k-limited", 1.0, false, List.of(LoadMode.Kind.CLOSED_MANY)),
  PUT_4M("put-4m", 0.0, true, Modes.STANDARD),
  GET_4M("get-4m", 1.0, true, Modes.STANDARD),
  /**
   * 1 KiB puts offered at twice the saturation throughput measured just before (closed loop, four
   * times {@code --in-flight}), for {@code --overload-seconds}: goodput should stay near the peak
   * and admitted writes should not time out.
   */
  PUT_1K_OVERLOAD("put-1k-overload", 0.0, false, List.of(LoadMode.Kind.OVERLOAD));

  /** The load modes of the ordinary workloads (enum constants cannot name a static field). */
  private static final class Modes {
    static final List<LoadMode.Kind> STANDARD =
        List.of(LoadMode.Kind.CLOSED_ONE, LoadMode.Kind.CLOSED_MANY, LoadMode.Kind.OPEN);
  }

  /** Size of a small value. */
  public static final int SMALL_BYTES = 1024;

  /** Size of a large object. */
  public static final int LARGE_BYTES = 4 << 20;

  private final String label;
  private final double readFraction;
  private final boolean large;
  private final List<LoadMode.Kind> modes;

  Workload(String label, double readFraction, boolean large, List<LoadMode.Kind> modes) {
    this.label = label;
    this.readFraction = readFraction;
    this.large = large;
    this.modes = modes;
  }

  /** The name in reports and on the command line. */
  public String label() {
    return label;
  }

  /** Fraction of operations that are gets (the rest are puts). */
  public double readFraction() {
    return readFraction;
  }

  /** Whether values are {@link #LARGE_BYTES} (else {@link #SMALL_BYTES}). */
  public boolean large() {
    return large;
  }

  public int valueBytes() {
    return large ? LARGE_BYTES : SMALL_BYTES;
  }

  /** Whether keys follow a Zipfian distribution (YCSB) rather than a uniform one. */
  public boolean zipfian() {
    return this == YCSB_A || this == YCSB_B;
  }

  /** Whether the per-node read limit applies. */
  public boolean readLimited() {
    return this == GET_1K_LIMITED;
  }

  /** The load modes this workload runs in. */
  public List<LoadMode.Kind> modes() {
    return modes;
  }

  /** The workload named {@code label}. */
  public static Workload byLabel(String label) {
    for (Workload w : values()) {
      if (w.label.equals(label)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + label + "'");
  }
}
