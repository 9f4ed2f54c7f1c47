package dev.catena.tests.bench.compare;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the kind of a failed benchmark operation, so that a report can tell back-pressure (the
 * client gave up after being told {@code OVERLOADED}) from requests that timed out: the Catena
 * client's last error code when it gave up ({@code OVERLOADED}, {@code DEADLINE_EXCEEDED}, …), a
 * status code leading an exception's message (as gRPC's {@code StatusRuntimeException} reads,
 * {@code CODE: description}), or the exception's class. Pure; reads messages only, so that nothing
 * outside the transport and client depends on gRPC.
 */
final class FailureKind {
  private static final Pattern LAST_ERROR = Pattern.compile("last error: ([A-Z_]+)");
  private static final Pattern LEADING_CODE = Pattern.compile("^([A-Z][A-Z_]+)(:|$)");

  private FailureKind() {}

  static String of(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        Matcher m = LAST_ERROR.matcher(c.getMessage());
        if (m.find()) {
          return m.group(1);
        }
      }
      if (c.getMessage() != null) {
        Matcher m = LEADING_CODE.matcher(c.getMessage());
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return t.getClass().getSimpleName();
  }
}
