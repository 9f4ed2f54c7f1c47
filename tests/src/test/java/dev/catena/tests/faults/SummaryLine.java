package dev.catena.tests.faults;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The numbers of a {@code catena check} summary line ({@code ops=… ok=… kill=…}), by name. */
final class SummaryLine {
  private static final Pattern LINE = Pattern.compile("(?m)^ops=\\d+ .*$");
  private static final Pattern NUMBER = Pattern.compile("([a-z_]+)=(\\d+)");

  private SummaryLine() {}

  /** The numbers of the first summary line in {@code report}. */
  static Map<String, Long> numbers(String report) {
    Matcher line = LINE.matcher(report);
    if (!line.find()) {
      throw new AssertionError("no summary line in:\n" + report);
    }
    Map<String, Long> out = new TreeMap<>();
    Matcher m = NUMBER.matcher(line.group());
    while (m.find()) {
      out.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return out;
  }
}
