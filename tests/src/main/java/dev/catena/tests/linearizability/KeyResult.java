package dev.catena.tests.linearizability;

import dev.catena.tests.history.Operation;
import java.util.List;

/**
 * The verdict for one key.
 *
 * @param key the key
 * @param verdict its verdict
 * @param operations number of operations recorded on the key (all statuses)
 * @param statesExplored memoised states the search visited
 * @param reason why the verdict is UNKNOWN (empty otherwise)
 * @param witness for NOT_LINEARIZABLE: a small sub-history that is itself not linearizable (the
 *     whole key history when shrinking is off; with shrinking, plus the FAILed writes whose values
 *     it reads, as context); empty otherwise
 */
public record KeyResult(
    String key,
    Verdict verdict,
    int operations,
    long statesExplored,
    String reason,
    List<Operation> witness) {

  /** Defensive copy of the witness. */
  public KeyResult {
    witness = List.copyOf(witness);
  }
}
