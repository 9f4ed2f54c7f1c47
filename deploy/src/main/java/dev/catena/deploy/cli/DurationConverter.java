package dev.catena.deploy.cli;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations written as a number and a unit, {@code ms}, {@code s}, {@code m} or {@code h}
 * (e.g. {@code 500ms}, {@code 5s}, {@code 30m}). As an option converter (timeouts) a malformed or
 * zero value is a usage error.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    try {
      Duration d = parse(value);
      if (d.isZero()) {
        throw new IllegalArgumentException("must be more than zero, got '" + value + "'");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** The duration {@code text} names; {@link IllegalArgumentException} if malformed. */
  static Duration parse(String text) {
    var m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a number with unit ms, s, m or h (e.g. 5s), got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** {@code d} as the user would write it back, e.g. {@code 5s} or {@code 1500ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
