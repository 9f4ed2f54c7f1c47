package dev.catena.tests.sim;

import java.util.Objects;

/**
 * Thrown the moment a simulation invariant fails; {@link ChainSimulation} catches it and reports it
 * as a {@link SimulationFailure} with the seed, step and replay command.
 */
public final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Violation violation;

  /** A violation of kind {@code violation} described by {@code message}. */
  public InvariantViolation(Violation violation, String message) {
    super(message);
    this.violation = Objects.requireNonNull(violation, "violation");
  }

  /** The kind of check that failed. */
  public Violation violation() {
    return violation;
  }
}
