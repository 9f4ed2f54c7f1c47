package dev.catena.deploy.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A byte range as HTTP writes it (RFC 9110 §14.1.2), pure: {@code START-END} (both inclusive),
 * {@code START-} (to the end) or {@code -N} (the last N bytes). Anything else — an end before the
 * start, a non-number, an empty suffix — is refused with {@link IllegalArgumentException}.
 *
 * @param first first byte, or -1 for a suffix range
 * @param last last byte (inclusive), or -1 for "to the end" and for a suffix range
 * @param suffix length of a suffix range, or -1
 */
record ByteRange(long first, long last, long suffix) {
  private static final Pattern FORM = Pattern.compile("(\\d+)-(\\d*)|-(\\d+)");

  /** The expected forms, for error messages. */
  static final String FORMS = "START-END, START- or -SUFFIX_LENGTH (bytes, END inclusive)";

  /** Parses {@code text}; {@link IllegalArgumentException} naming the accepted forms otherwise. */
  static ByteRange parse(String text) {
    var m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a byte range; expected " + FORMS);
    }
    try {
      if (m.group(3) != null) {
        long n = Long.parseLong(m.group(3));
        if (n == 0) {
          throw new IllegalArgumentException(
              "'" + text + "': a suffix range needs at least 1 byte");
        }
        return new ByteRange(-1, -1, n);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
      if (last >= 0 && last < first) {
        throw new IllegalArgumentException(
            "'" + text + "': the end " + last + " is before the start " + first);
      }
      return new ByteRange(first, last, -1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': a number is too large", e);
    }
  }

  boolean isSuffix() {
    return suffix >= 0;
  }

  /** First byte to read of an object of {@code size} bytes. */
  long offset(long size) {
    return isSuffix() ? Math.max(0, size - suffix) : first;
  }

  /** Bytes to read ({@code -1} = to the end; the client clips at the end of the object). */
  long length() {
    if (isSuffix()) {
      return suffix;
    }
    return last < 0 ? -1 : last - first + 1;
  }

  /** The picocli converter of {@code --range}: a bad range is a usage error. */
  static final class Converter implements ITypeConverter<ByteRange> {
    @Override
    public ByteRange convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
