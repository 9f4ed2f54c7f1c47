package dev.catena.tests.bench.failover;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table: a header row and data rows of the same width. */
public final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException if its width differs from the header's
   */
  public MarkdownTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, header " + header.size());
    }
    var r = new ArrayList<String>();
    for (Object c : cells) {
      r.add(String.valueOf(c).replace("|", "\\|"));
    }
    rows.add(r);
    return this;
  }

  /** The table as Markdown text, one line per row. */
  public String render() {
    var sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", header)).append(" |\n");
    sb.append("|").append("---|".repeat(header.size())).append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }
}
