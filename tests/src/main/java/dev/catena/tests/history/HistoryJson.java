package dev.catena.tests.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-lines codec for histories: one flat JSON object per line, for example
 *
 * <pre>
 * {"id":3,"process":1,"key":"k","type":"WRITE","value":"v1","output":null,"invoke":10,"complete":25,"status":"OK"}
 * </pre>
 *
 * <p>{@code complete} is {@code null} for an operation that never returned. Strings use standard
 * JSON escapes. Only this flat shape is accepted; anything else throws {@link
 * HistoryFormatException} naming the line.
 */
public final class HistoryJson {
  private HistoryJson() {}

  /** Encodes one operation as a single JSON line (without the newline). */
  public static String encode(Operation op) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"id\":").append(op.id());
    sb.append(",\"process\":").append(op.process());
    sb.append(",\"key\":");
    string(sb, op.key());
    sb.append(",\"type\":\"").append(op.type().name()).append('"');
    sb.append(",\"value\":");
    string(sb, op.value());
    sb.append(",\"output\":");
    string(sb, op.output());
    sb.append(",\"invoke\":").append(op.invokeNanos());
    sb.append(",\"complete\":");
    if (op.completeNanos() == Operation.NOT_COMPLETED) {
      sb.append("null");
    } else {
      sb.append(op.completeNanos());
    }
    sb.append(",\"status\":\"").append(op.status().name()).append("\"}");
    return sb.toString();
  }

  /** Writes the history, one line per operation, in invocation order. */
  public static void write(History history, Writer out) throws IOException {
    for (Operation op : history.operations()) {
      out.write(encode(op));
      out.write('\n');
    }
    out.flush();
  }

  /** Writes the history to a UTF-8 file, replacing it. */
  public static void write(History history, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(history, w);
    }
  }

  /** Encodes a whole history as a string of JSON lines. */
  public static String toJsonLines(History history) {
    StringBuilder sb = new StringBuilder();
    for (Operation op : history.operations()) {
      sb.append(encode(op)).append('\n');
    }
    return sb.toString();
  }

  /** Parses JSON lines; blank lines are skipped. */
  public static History read(Reader in) throws IOException {
    BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<Operation> ops = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = br.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      ops.add(decode(line, lineNo));
    }
    return History.of(ops);
  }

  /** Parses a UTF-8 JSON-lines file. */
  public static History read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r);
    }
  }

  /** Parses a string of JSON lines. */
  public static History fromJsonLines(String text) {
    try {
      return read(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException("reading from a string cannot fail", e);
    }
  }

  /** Decodes one line. */
  public static Operation decode(String line, int lineNo) {
    Map<String, Object> f = new FlatObjectParser(line, lineNo).parse();
    try {
      Object complete = f.get("complete");
      return new Operation(
          number(f, "id", lineNo),
          Math.toIntExact(number(f, "process", lineNo)),
          (String) f.get("key"),
          OpType.valueOf(text(f, "type", lineNo)),
          (String) f.get("value"),
          (String) f.get("output"),
          number(f, "invoke", lineNo),
          complete == null ? Operation.NOT_COMPLETED : number(f, "complete", lineNo),
          OpStatus.valueOf(text(f, "status", lineNo)));
    } catch (ClassCastException | IllegalArgumentException | ArithmeticException e) {
      throw new HistoryFormatException("line " + lineNo + ": " + e.getMessage(), e);
    }
  }

  private static long number(Map<String, Object> f, String name, int lineNo) {
    if (!(f.get(name) instanceof Long l)) {
      throw new HistoryFormatException(
          "line " + lineNo + ": field '" + name + "' must be a number");
    }
    return l;
  }

  private static String text(Map<String, Object> f, String name, int lineNo) {
    if (!(f.get(name) instanceof String s)) {
      throw new HistoryFormatException(
          "line " + lineNo + ": field '" + name + "' must be a string");
    }
    return s;
  }

  private static void string(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
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

  /** Parser for one flat object whose values are strings, integers or null. */
  private static final class FlatObjectParser {
    private final String s;
    private final int lineNo;
    private int pos;

    FlatObjectParser(String s, int lineNo) {
      this.s = s;
      this.lineNo = lineNo;
    }

    Map<String, Object> parse() {
      Map<String, Object> out = new HashMap<>();
      skipWs();
      expect('{');
      skipWs();
      if (peek() == '}') {
        pos++;
      } else {
        while (true) {
          skipWs();
          String name = parseString();
          skipWs();
          expect(':');
          skipWs();
          Object value = parseValue();
          if (out.containsKey(name)) {
            throw error("duplicate field '" + name + "'");
          }
          out.put(name, value);
          skipWs();
          char c = next();
          if (c == '}') {
            break;
          }
          if (c != ',') {
            throw error("expected ',' or '}'");
          }
        }
      }
      skipWs();
      if (pos != s.length()) {
        throw error("trailing characters");
      }
      return out;
    }

    private Object parseValue() {
      char c = peek();
      if (c == '"') {
        return parseString();
      }
      if (s.startsWith("null", pos)) {
        pos += 4;
        return null;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = pos;
        pos++;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
        try {
          return Long.parseLong(s.substring(start, pos));
        } catch (NumberFormatException e) {
          throw error("bad number " + s.substring(start, pos));
        }
      }
      throw error("unsupported value");
    }

    private String parseString() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("short unicode escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad unicode escape");
            }
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    private void skipWs() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end of line");
      }
      return s.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw error("expected '" + c + "'");
      }
    }

    private HistoryFormatException error(String what) {
      return new HistoryFormatException("line " + lineNo + ", column " + (pos + 1) + ": " + what);
    }
  }
}
