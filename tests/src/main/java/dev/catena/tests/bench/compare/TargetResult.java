package dev.catena.tests.bench.compare;

/**
 * One target of the comparison, its measured value and whether it is met. A target whose inputs
 * were not measured (configuration or workload left out, or no successful operation) has a NaN
 * value and is not met.
 *
 * @param name short name
 * @param description what is compared with what
 * @param measured the measured value (a ratio or microseconds)
 * @param atLeast whether the value must be at least the threshold (else at most)
 * @param threshold the bound
 */
public record TargetResult(
    String name, String description, double measured, boolean atLeast, double threshold) {

  /** Whether the measured value is within the bound. */
  public boolean met() {
    if (Double.isNaN(measured)) {
      return false;
    }
    return atLeast ? measured >= threshold : measured <= threshold;
  }

  /** {@code ≥ 3} or {@code ≤ 0.5}. */
  public String bound() {
    return (atLeast ? "≥ " : "≤ ") + Format.number(threshold);
  }
}
