package dev.catena.client;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, S3 ListObjectsV2 style: entries sorted by key (UTF-16 order of Java
 * strings, equal to byte order of UTF-8 for keys without surrogate pairs), at most {@code maxKeys}.
 *
 * @param objects the entries of this page, sorted by key
 * @param truncated true if more entries follow; pass {@link #nextContinuationToken()} to get them
 * @param nextContinuationToken opaque token of the next page, present iff {@code truncated}
 */
public record ObjectListing(
    List<ObjectSummary> objects, boolean truncated, Optional<String> nextContinuationToken) {
  public ObjectListing {
    objects = List.copyOf(objects);
    if (truncated != nextContinuationToken.isPresent()) {
      throw new IllegalArgumentException("a token is present exactly when the page is truncated");
    }
  }
}
