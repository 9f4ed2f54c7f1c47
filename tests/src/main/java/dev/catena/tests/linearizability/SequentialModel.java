package dev.catena.tests.linearizability;

/**
 * The sequential specification of an object, for {@link ModelChecker}: an initial state and a
 * transition that either accepts an operation with the result it returned, giving the next state,
 * or refuses it. Implementations are pure; states are immutable values (equal states must be {@code
 * equals} with equal hash codes, since the search memoises them).
 *
 * @param <S> the object's state
 * @param <C> one operation: its arguments and the result it returned
 */
public interface SequentialModel<S, C> {
  /** The state before any operation. */
  S initial();

  /**
   * The state after {@code op} applied to {@code state}, or {@code null} if {@code op}'s recorded
   * result is impossible in {@code state}. An operation whose result is unknown (it may or may not
   * have taken effect) is passed as it was invoked; the model applies its effect.
   */
  S step(S state, C op);
}
