package dev.catena.tests.sim;

/**
 * Thrown the moment a simulation invariant fails; {@link ChainSimulation} catches it and reports it
 * as a {@link SimulationFailure} with the seed, step and replay command.
 */
public final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A violation described by {@code message}. */
  public InvariantViolation(String message) {
    super(message);
  }
}
