package dev.catena.client;

import java.util.Objects;
import java.util.Optional;

/**
 * Parameters of a listing (S3 ListObjectsV2): keys starting with {@code prefix}, strictly after
 * {@code startAfter}, or after the position a {@code continuationToken} names (the token wins when
 * both are given), at most {@code maxKeys} per page (1–1000).
 *
 * @param prefix keys must start with this ("" = all)
 * @param startAfter exclusive lower bound ("" = none)
 * @param continuationToken token from a previous truncated page
 * @param maxKeys page size, 1–1000
 */
public record ListOptions(
    String prefix, String startAfter, Optional<String> continuationToken, int maxKeys) {
  /** Largest page size, as in S3. */
  public static final int MAX_KEYS = 1000;

  /** All keys, pages of 1000. */
  public static final ListOptions ALL = new ListOptions("", "", Optional.empty(), MAX_KEYS);

  public ListOptions {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(startAfter, "startAfter");
    Objects.requireNonNull(continuationToken, "continuationToken");
  }

  /** Keys starting with {@code prefix}, pages of 1000. */
  public static ListOptions prefix(String prefix) {
    return new ListOptions(prefix, "", Optional.empty(), MAX_KEYS);
  }

  public ListOptions withMaxKeys(int maxKeys) {
    return new ListOptions(prefix, startAfter, continuationToken, maxKeys);
  }

  public ListOptions withStartAfter(String startAfter) {
    return new ListOptions(prefix, startAfter, continuationToken, maxKeys);
  }

  /** The options for the page after {@code page} (which must be truncated). */
  public ListOptions next(ObjectListing page) {
    return new ListOptions(
        prefix,
        startAfter,
        Optional.of(
            page.nextContinuationToken()
                .orElseThrow(() -> new IllegalArgumentException("page is not truncated"))),
        maxKeys);
  }
}
