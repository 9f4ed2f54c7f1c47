package dev.catena.s3;

import java.time.Instant;
import java.util.Map;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The conditional headers of a GET (RFC 9110 §13, as S3 applies them), judged against the object's
 * current ETag and Last-Modified (pure). A failed {@code If-Match} or {@code If-Unmodified-Since}
 * is 412; a matching {@code If-None-Match} or an unmodified {@code If-Modified-Since} is 304 —
 * s3proxy renders both, echoing the ETag. A copy's {@code x-amz-copy-source-if-*} headers are
 * judged against the source the same way, except that every failure is 412 (there is no 304 for a
 * copy).
 */
final class Conditions {
  private Conditions() {}

  static void check(GetObjectRequest r, String etag, Instant lastModified) {
    check(
        r.ifMatch(),
        r.ifUnmodifiedSince(),
        r.ifNoneMatch(),
        r.ifModifiedSince(),
        etag,
        lastModified,
        304);
  }

  /** A copy's conditions on its source object. */
  static void checkCopySource(CopyObjectRequest r, String etag, Instant lastModified) {
    check(
        r.copySourceIfMatch(),
        r.copySourceIfUnmodifiedSince(),
        r.copySourceIfNoneMatch(),
        r.copySourceIfModifiedSince(),
        etag,
        lastModified,
        412);
  }

  private static void check(
      String ifMatch,
      Instant ifUnmodifiedSince,
      String ifNoneMatch,
      Instant ifModifiedSince,
      String etag,
      Instant lastModified,
      int notModified) {
    if (ifMatch != null && !"*".equals(ifMatch) && !sameTag(ifMatch, etag)) {
      throw fail(412, etag);
    }
    if (ifMatch == null && ifUnmodifiedSince != null && lastModified.isAfter(ifUnmodifiedSince)) {
      throw fail(412, etag);
    }
    if (ifNoneMatch != null && ("*".equals(ifNoneMatch) || sameTag(ifNoneMatch, etag))) {
      throw fail(notModified, etag);
    }
    if (ifNoneMatch == null && ifModifiedSince != null && !lastModified.isAfter(ifModifiedSince)) {
      throw fail(notModified, etag);
    }
  }

  private static boolean sameTag(String header, String etag) {
    for (String t : header.split(",")) {
      if (unquote(t.trim()).equals(unquote(etag))) {
        return true;
      }
    }
    return false;
  }

  private static String unquote(String t) {
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
        ? t.substring(1, t.length() - 1)
        : t;
  }

  private static RuntimeException fail(int status, String etag) {
    return S3Exceptions.fromStatusCode(status, etag, Map.of(), null);
  }
}
