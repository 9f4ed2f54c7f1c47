package dev.catena.deploy.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads samples of one metric out of a Prometheus text exposition (format 0.0.4, what the nodes'
 * {@code /metrics} serve). Pure; lines of other metrics, comments and malformed lines are skipped.
 */
final class PrometheusText {
  /** One sample: its labels (in exposition order) and value. */
  record Sample(Map<String, String> labels, double value) {}

  private PrometheusText() {}

  /** Every sample named exactly {@code name} in {@code exposition}. */
  static List<Sample> samples(String exposition, String name) {
    var out = new ArrayList<Sample>();
    for (String line : (Iterable<String>) exposition.lines()::iterator) {
      if (!line.startsWith(name)) {
        continue;
      }
      Sample s = parse(line, name);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** The sample on {@code line}, or null if the line is another metric or malformed. */
  private static Sample parse(String line, String name) {
    int at = name.length();
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < line.length() && line.charAt(at) == '{') {
      at = labels(line, at + 1, labels);
      if (at < 0) {
        return null;
      }
    }
    if (at >= line.length() || line.charAt(at) != ' ') {
      return null; // a longer metric name with the same prefix, or no value
    }
    String rest = line.substring(at + 1).trim();
    int space = rest.indexOf(' ');
    String value = space < 0 ? rest : rest.substring(0, space); // an optional timestamp follows
    try {
      return new Sample(labels, Double.parseDouble(value.replace("Inf", "Infinity")));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Parses {@code a="x",b="y"}} from {@code at} into {@code labels}; returns the index after the
   * closing brace, or -1 if malformed. Values may escape {@code \\}, {@code \"} and {@code \n}.
   */
  private static int labels(String line, int at, Map<String, String> labels) {
    while (at < line.length()) {
      char c = line.charAt(at);
      if (c == '}') {
        return at + 1;
      }
      if (c == ',' || c == ' ') {
        at++;
        continue;
      }
      int eq = line.indexOf("=\"", at);
      if (eq < 0) {
        return -1;
      }
      String key = line.substring(at, eq);
      var value = new StringBuilder();
      int i = eq + 2;
      for (; i < line.length() && line.charAt(i) != '"'; i++) {
        char v = line.charAt(i);
        if (v == '\\' && i + 1 < line.length()) {
          char e = line.charAt(++i);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(v);
        }
      }
      if (i >= line.length()) {
        return -1;
      }
      labels.put(key, value.toString());
      at = i + 1;
    }
    return -1;
  }
}
