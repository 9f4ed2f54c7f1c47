package dev.catena.tests.check;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h} or {@code 90}. */
public final class DurationParser {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private DurationParser() {}

  /**
   * Parses {@code text}; a bare number is seconds.
   *
   * @throws InvalidCheckOptionsException if the text is not such a duration
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidCheckOptionsException(
          "bad duration '" + text + "' (examples: 500ms, 60s, 2m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
