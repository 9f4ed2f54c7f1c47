package dev.catena.tests.linearizability;

import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detects acknowledged writes that were lost, from a history plus one read of every key taken after
 * the cluster has healed and all client operations have ended (a "final read").
 *
 * <p>Rule (sound: it reports only definite losses). An OK write {@code w} of value {@code v} to key
 * {@code k} is lost when the final read of {@code k} does not return {@code v} and no other
 * operation on {@code k} could have been linearized after {@code w}: that is, there is no other
 * WRITE or DELETE on {@code k} that did not FAIL and whose completion time (plus infinity for INFO)
 * is not before {@code w}'s invocation. In every linearization {@code w} is then the last mutation
 * of {@code k}, so the final read must return {@code v}. Candidates that are concurrent with or
 * after {@code w} make the detector stay silent even if they wrote other values; the full {@link
 * LinearizabilityChecker} (with the final reads appended to the history) decides those.
 *
 * <p>Stateless and thread-safe.
 */
public final class LostWriteDetector {
  private LostWriteDetector() {}

  /**
   * Returns the lost acknowledged writes, in invocation order.
   *
   * @param finalReads final value per key (empty = absent); must contain every key that has an
   *     acknowledged write, else {@link MissingFinalReadException}
   */
  public static List<LostWrite> detect(History history, Map<String, Optional<String>> finalReads) {
    List<LostWrite> lost = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
      List<Operation> ops = e.getValue();
      for (Operation w : ops) {
        if (w.type() != OpType.WRITE || w.status() != OpStatus.OK) {
          continue;
        }
        Optional<String> fin = finalReads.get(e.getKey());
        if (fin == null) {
          throw new MissingFinalReadException(e.getKey());
        }
        if (fin.isPresent() && fin.get().equals(w.value())) {
          continue;
        }
        if (!canBeOverwritten(w, ops)) {
          lost.add(new LostWrite(w, fin));
        }
      }
    }
    return lost;
  }

  private static boolean canBeOverwritten(Operation w, List<Operation> ops) {
    for (Operation x : ops) {
      if (x.id() != w.id() && x.mayMutate() && x.effectiveCompleteNanos() >= w.invokeNanos()) {
        return true;
      }
    }
    return false;
  }
}
