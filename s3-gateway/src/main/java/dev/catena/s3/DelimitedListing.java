package dev.catena.s3;

import dev.catena.client.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page of an S3 listing with a delimiter, computed over Catena's sorted, paged key listing
 * (pure: the pages come from a {@link PageSource}).
 *
 * <p>Entries are keys and common prefixes in one sorted sequence, as S3 orders them; {@code
 * maxKeys} counts both. Listing resumes strictly after a marker (the last entry of the previous
 * page, a key or a common prefix), so a page never repeats an entry of an earlier page, whatever is
 * added meanwhile. After a common prefix is found, the listing skips past every key under it in one
 * request ({@code prefix + U+FFFF}); a key under it that still sorts later is recognised and not
 * reported twice. A page is truncated only if an entry follows it.
 */
final class DelimitedListing {
  /** The listing Catena offers: keys under {@code prefix} strictly after {@code after}. */
  interface PageSource {
    Page fetch(String prefix, String after, int maxKeys);
  }

  /**
   * One page of keys from the source.
   *
   * @param objects keys in order
   * @param truncated whether keys follow
   */
  record Page(List<ObjectSummary> objects, boolean truncated) {}

  /**
   * The result.
   *
   * @param objects keys of this page
   * @param commonPrefixes common prefixes of this page
   * @param nextMarker the last entry of this page, present iff the listing is truncated
   */
  record Result(
      List<ObjectSummary> objects, List<String> commonPrefixes, Optional<String> nextMarker) {}

  /** Keys fetched per request from the source. */
  static final int FETCH = 1000;

  private DelimitedListing() {}

  /**
   * Lists up to {@code maxKeys} entries under {@code prefix} strictly after {@code marker} ("" =
   * from the start), rolling keys up to common prefixes at the first {@code delimiter} after the
   * prefix (null or "" = no roll-up).
   */
  static Result list(
      PageSource source, String prefix, String delimiter, String marker, int maxKeys) {
    String p = prefix == null ? "" : prefix;
    String d = delimiter == null ? "" : delimiter;
    String after = marker == null ? "" : marker;
    var objects = new ArrayList<ObjectSummary>();
    var prefixes = new ArrayList<String>();
    if (maxKeys <= 0) {
      return new Result(objects, prefixes, Optional.empty());
    }
    // A marker that is a common prefix: keys under it roll up to it again and are skipped.
    String lastPrefix = !d.isEmpty() && after.startsWith(p) && after.endsWith(d) ? after : null;
    String lastEntry = null;
    while (true) {
      Page page = source.fetch(p, after, FETCH);
      String next = null;
      for (ObjectSummary s : page.objects()) {
        String key = s.key();
        String rolled = rollUp(key, p, d);
        if (rolled != null && rolled.equals(lastPrefix)) {
          after = key;
          continue;
        }
        if (objects.size() + prefixes.size() == maxKeys) {
          return new Result(objects, prefixes, Optional.of(lastEntry));
        }
        if (rolled != null) {
          prefixes.add(rolled);
          lastPrefix = rolled;
          lastEntry = rolled;
          next = rolled + Character.MAX_VALUE;
          break;
        }
        objects.add(s);
        lastEntry = key;
        after = key;
      }
      if (next != null) {
        after = next;
        continue;
      }
      if (!page.truncated() || page.objects().isEmpty()) {
        return new Result(objects, prefixes, Optional.empty());
      }
    }
  }

  /** The common prefix {@code key} rolls up to, or null if it is listed as itself. */
  static String rollUp(String key, String prefix, String delimiter) {
    if (delimiter.isEmpty()) {
      return null;
    }
    int i = key.indexOf(delimiter, prefix.length());
    return i < 0 ? null : key.substring(0, i + delimiter.length());
  }
}
