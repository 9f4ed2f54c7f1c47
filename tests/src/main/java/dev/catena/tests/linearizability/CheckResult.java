package dev.catena.tests.linearizability;

import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Outcome of checking a whole history: the combined verdict (any violation makes it
 * NOT_LINEARIZABLE, else any unknown key makes it UNKNOWN) and one {@link KeyResult} per key.
 */
public final class CheckResult {
  private final Verdict verdict;
  private final Map<String, KeyResult> perKey;

  /** Builds a result from per-key results (in the order given). */
  public CheckResult(List<KeyResult> results) {
    Map<String, KeyResult> map = new LinkedHashMap<>();
    Verdict v = Verdict.LINEARIZABLE;
    for (KeyResult r : results) {
      map.put(r.key(), r);
      v = Verdict.combine(v, r.verdict());
    }
    this.verdict = v;
    this.perKey = java.util.Collections.unmodifiableMap(map);
  }

  /** The combined verdict. */
  public Verdict verdict() {
    return verdict;
  }

  /** Per-key results by key. */
  public Map<String, KeyResult> perKey() {
    return perKey;
  }

  /** The result for one key, or {@code null} if the key had no operations. */
  public KeyResult key(String key) {
    return perKey.get(key);
  }

  /** Results of keys with the given verdict. */
  public List<KeyResult> withVerdict(Verdict v) {
    List<KeyResult> out = new ArrayList<>();
    for (KeyResult r : perKey.values()) {
      if (r.verdict() == v) {
        out.add(r);
      }
    }
    return out;
  }

  /** Ids of all operations in the witnesses of violating keys. */
  public Set<Long> witnessIds() {
    Set<Long> ids = new TreeSet<>();
    for (KeyResult r : perKey.values()) {
      for (Operation op : r.witness()) {
        ids.add(op.id());
      }
    }
    return ids;
  }

  /** A readable multi-line report: verdict, counts, then a table per violating key. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append("verdict: ").append(verdict).append(" (").append(perKey.size()).append(" keys: ");
    sb.append(withVerdict(Verdict.LINEARIZABLE).size()).append(" linearizable, ");
    sb.append(withVerdict(Verdict.NOT_LINEARIZABLE).size()).append(" not linearizable, ");
    sb.append(withVerdict(Verdict.UNKNOWN).size()).append(" unknown)\n");
    for (KeyResult r : withVerdict(Verdict.NOT_LINEARIZABLE)) {
      sb.append("\nkey '").append(r.key()).append("' is not linearizable; minimal sub-history (");
      sb.append(r.witness().size()).append(" ops):\n");
      sb.append(HistoryTable.format(r.witness()));
    }
    for (KeyResult r : withVerdict(Verdict.UNKNOWN)) {
      sb.append("key '").append(r.key()).append("' unknown: ").append(r.reason()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "CheckResult{" + verdict + ", " + perKey.size() + " keys}";
  }
}
