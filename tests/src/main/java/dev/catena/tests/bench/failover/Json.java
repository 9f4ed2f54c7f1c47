package dev.catena.tests.bench.failover;

import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for benchmark reports: maps (insertion order kept), lists, strings,
 * numbers, booleans and null. Non-finite doubles are written as null.
 */
public final class Json {
  private Json() {}

  /** {@code value} as JSON text, indented by two spaces. */
  public static String write(Object value) {
    var sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format("%.3f", d));
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      int i = 0;
      for (var e : m.entrySet()) {
        sb.append(i++ == 0 ? "\n" : ",\n").append("  ".repeat(depth + 1));
        quote(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
      }
      sb.append(m.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      int i = 0;
      for (Object o : l) {
        sb.append(i++ == 0 ? "\n" : ",\n").append("  ".repeat(depth + 1));
        write(sb, o, depth + 1);
      }
      sb.append(l.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
