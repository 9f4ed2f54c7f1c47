package dev.catena.client.impl;

import dev.catena.client.CatenaException;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Merges per-chain listing pages into one S3-style page (pure).
 *
 * <p>Every chain was asked for the keys after the same position, and answered with its smallest
 * keys in order and a truncated flag. Keys of a truncated chain are known only up to its last
 * returned key, so the merged page stops there ({@code bound}): the result is the smallest {@code
 * maxKeys} keys of the union not beyond the bound. It is truncated if keys were left over or any
 * chain was truncated, and then its token names its last key. Because every chain's keys up to that
 * last key were all returned, paging never skips or repeats a key.
 */
public final class ListMerger {
  private ListMerger() {}

  /**
   * One chain's answer.
   *
   * @param objects the chain's keys in ascending order
   * @param truncated whether the chain has more keys after the last one
   */
  public record Page(List<ObjectSummary> objects, boolean truncated) {}

  /** Merges the chains' pages. */
  public static ObjectListing merge(List<Page> pages, int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys " + maxKeys);
    }
    String bound = null;
    var all = new ArrayList<ObjectSummary>();
    for (Page p : pages) {
      checkSorted(p.objects());
      if (p.truncated()) {
        if (p.objects().isEmpty()) {
          throw new CatenaException("a chain reported a truncated, empty listing page");
        }
        String last = p.objects().get(p.objects().size() - 1).key();
        if (bound == null || last.compareTo(bound) < 0) {
          bound = last;
        }
      }
      all.addAll(p.objects());
    }
    all.sort((a, b) -> a.key().compareTo(b.key()));
    var out = new ArrayList<ObjectSummary>();
    boolean leftOver = false;
    for (ObjectSummary s : all) {
      if (bound != null && s.key().compareTo(bound) > 0) {
        break;
      }
      if (!out.isEmpty() && out.get(out.size() - 1).key().equals(s.key())) {
        continue; // the same key on two chains (shard moving): keep the first
      }
      if (out.size() == maxKeys) {
        leftOver = true;
        break;
      }
      out.add(s);
    }
    boolean truncated = leftOver || bound != null;
    return new ObjectListing(
        out,
        truncated,
        truncated
            ? Optional.of(ContinuationTokens.encode(out.get(out.size() - 1).key()))
            : Optional.empty());
  }

  private static void checkSorted(List<ObjectSummary> objects) {
    for (int i = 1; i < objects.size(); i++) {
      if (objects.get(i - 1).key().compareTo(objects.get(i).key()) >= 0) {
        throw new CatenaException("a chain returned an unsorted listing page");
      }
    }
  }
}
