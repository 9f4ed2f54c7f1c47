package dev.catena.tests.bench.failover;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Benchmark reports as JSON, written by Jackson: maps (insertion order kept), lists, strings,
 * numbers, booleans and null, indented by two spaces. Doubles carry three decimals; non-finite
 * doubles are written as null. Anything else is refused with {@link IllegalArgumentException}.
 */
public final class Json {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
  private static final ObjectWriter WRITER =
      JsonMapper.builder()
          .build()
          .writer()
          .with(
              new DefaultPrettyPrinter(
                      Separators.createDefaultInstance()
                          .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withObjectIndenter(INDENT)
                  .withArrayIndenter(INDENT));

  private Json() {}

  /** {@code value} as JSON text, indented by two spaces, ending with a newline. */
  public static String write(Object value) {
    return WRITER.writeValueAsString(tree(value)) + "\n";
  }

  private static JsonNode tree(Object v) {
    if (v == null) {
      return NODES.nullNode();
    } else if (v instanceof String s) {
      return NODES.stringNode(s);
    } else if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite()
          ? NODES.nullNode()
          : NODES.numberNode(BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN));
    } else if (v instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (v instanceof Long l) {
      return NODES.numberNode(l);
    } else if (v instanceof Number n) {
      return NODES.numberNode(new BigDecimal(n.toString()));
    } else if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), tree(x)));
      return o;
    } else if (v instanceof List<?> l) {
      ArrayNode a = NODES.arrayNode();
      l.forEach(x -> a.add(tree(x)));
      return a;
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }
}
