package dev.catena.tests.bench.compare;

/**
 * How load is offered in one phase: closed loop with a fixed number of requests in flight (a new
 * request as soon as one completes: saturation throughput), open loop at a fixed offered rate
 * (latency measured from each request's intended start), or overload: open loop at twice the
 * saturation throughput the configuration has just shown (back-pressure instead of timeouts).
 *
 * @param kind which of the modes
 * @param inFlight requests in flight (closed loop), or the cap on outstanding requests (open loop)
 * @param ratePerSecond offered rate (open loop only, else 0)
 */
public record LoadMode(Kind kind, int inFlight, double ratePerSecond) {
  /** The modes a workload may run in. */
  public enum Kind {
    /** Closed loop, one request in flight (unloaded latency). */
    CLOSED_ONE("closed-1"),
    /** Closed loop, many requests in flight (saturation throughput). */
    CLOSED_MANY("closed-n"),
    /** Open loop at a fixed offered rate (latency without coordinated omission). */
    OPEN("open"),
    /** Open loop at twice the throughput a closed-loop run just before it reached. */
    OVERLOAD("overload");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public LoadMode {
    if (inFlight < 1) {
      throw new IllegalArgumentException("in flight must be at least 1, got " + inFlight);
    }
    if ((kind == Kind.OPEN || kind == Kind.OVERLOAD) && !(ratePerSecond > 0)) {
      throw new IllegalArgumentException("open loop needs a positive rate");
    }
  }

  /** A short label such as {@code closed-64} or {@code open-500/s}. */
  public String label() {
    return switch (kind) {
      case CLOSED_ONE, CLOSED_MANY -> "closed-" + inFlight;
      case OPEN -> "open-" + formatRate(ratePerSecond) + "/s";
      case OVERLOAD -> "overload-" + formatRate(Math.rint(ratePerSecond)) + "/s";
    };
  }

  private static String formatRate(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }
}
