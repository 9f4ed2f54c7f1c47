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
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-lines codec for histories: one flat JSON object per line, for example
 *
 * <pre>
 * {"id":3,"process":1,"key":"k","type":"WRITE","value":"v1","output":null,"invoke":10,"complete":25,"status":"OK"}
 * </pre>
 *
 * <p>{@code complete} is {@code null} for an operation that never returned. Written and read with
 * Jackson; only this flat shape is accepted (duplicate fields and trailing text are refused),
 * anything else throws {@link HistoryFormatException} naming the line.
 */
public final class HistoryJson {
  private HistoryJson() {}

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Encodes one operation as a single JSON line (without the newline). */
  public static String encode(Operation op) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("id", op.id())
            .put("process", op.process())
            .put("key", op.key())
            .put("type", op.type().name())
            .put("value", op.value())
            .put("output", op.output())
            .put("invoke", op.invokeNanos());
    if (op.completeNanos() == Operation.NOT_COMPLETED) {
      o.putNull("complete");
    } else {
      o.put("complete", op.completeNanos());
    }
    return JSON.writeValueAsString(o.put("status", op.status().name()));
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
    JsonNode f;
    try {
      f = JSON.readTree(line);
    } catch (JacksonException e) {
      throw new HistoryFormatException(
          "line " + lineNo + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
    if (f == null || !f.isObject()) {
      throw new HistoryFormatException("line " + lineNo + ": expected a JSON object");
    }
    try {
      JsonNode complete = f.get("complete");
      return new Operation(
          number(f, "id", lineNo),
          Math.toIntExact(number(f, "process", lineNo)),
          textOrNull(f, "key", lineNo),
          OpType.valueOf(text(f, "type", lineNo)),
          textOrNull(f, "value", lineNo),
          textOrNull(f, "output", lineNo),
          number(f, "invoke", lineNo),
          complete == null || complete.isNull()
              ? Operation.NOT_COMPLETED
              : number(f, "complete", lineNo),
          OpStatus.valueOf(text(f, "status", lineNo)));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new HistoryFormatException("line " + lineNo + ": " + e.getMessage(), e);
    }
  }

  private static long number(JsonNode f, String name, int lineNo) {
    JsonNode v = f.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new HistoryFormatException(
          "line " + lineNo + ": field '" + name + "' must be a number");
    }
    return v.longValue();
  }

  private static String text(JsonNode f, String name, int lineNo) {
    String s = textOrNull(f, name, lineNo);
    if (s == null) {
      throw new HistoryFormatException(
          "line " + lineNo + ": field '" + name + "' must be a string");
    }
    return s;
  }

  private static String textOrNull(JsonNode f, String name, int lineNo) {
    JsonNode v = f.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new HistoryFormatException(
          "line " + lineNo + ": field '" + name + "' must be a string or null");
    }
    return v.stringValue();
  }
}
