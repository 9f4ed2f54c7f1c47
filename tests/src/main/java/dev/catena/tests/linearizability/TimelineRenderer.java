package dev.catena.tests.linearizability;

import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a history as a self-contained HTML page with one inline SVG: a lane per process, one bar
 * per operation from invocation to completion, coloured by status (OK green, FAIL grey, INFO orange
 * and open-ended), with the operations of violation witnesses outlined in red. No scripts, styles
 * or fonts are loaded from elsewhere; hovering a bar shows its details.
 */
public final class TimelineRenderer {
  private static final int LANE_HEIGHT = 34;
  private static final int BAR_HEIGHT = 22;
  private static final int LEFT = 90;
  private static final int TOP = 40;
  private static final int MIN_WIDTH = 900;

  private TimelineRenderer() {}

  /** Renders the history and highlights the witnesses of the result's violating keys. */
  public static String render(History history, CheckResult result, String title) {
    StringBuilder caption = new StringBuilder("verdict: ").append(result.verdict());
    return render(history, result.witnessIds(), title, caption.toString(), result.report());
  }

  /**
   * Renders the history, highlighting the given operation ids.
   *
   * @param caption one line shown under the title
   * @param details preformatted text shown under the chart (for example a report)
   */
  public static String render(
      History history, Set<Long> highlighted, String title, String caption, String details) {
    Set<Integer> processes = new TreeSet<>();
    long t0 = Long.MAX_VALUE;
    long t1 = Long.MIN_VALUE;
    for (Operation op : history.operations()) {
      processes.add(op.process());
      t0 = Math.min(t0, op.invokeNanos());
      t1 = Math.max(t1, op.invokeNanos());
      if (op.completeNanos() != Operation.NOT_COMPLETED) {
        t1 = Math.max(t1, op.completeNanos());
      }
    }
    if (history.size() == 0) {
      t0 = 0;
      t1 = 1;
    }
    int plotWidth = Math.max(MIN_WIDTH, history.size() * 12);
    // INFO operations that never returned run to the right edge plus a margin.
    double span = Math.max(1, t1 - t0) * 1.05;
    int height = TOP + processes.size() * LANE_HEIGHT + 30;
    int width = LEFT + plotWidth + 20;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width);
    svg.append("\" height=\"")
        .append(height)
        .append("\" font-family=\"monospace\" font-size=\"11\">\n");
    int lane = 0;
    java.util.Map<Integer, Integer> laneOf = new java.util.HashMap<>();
    for (int p : processes) {
      laneOf.put(p, lane);
      int y = TOP + lane * LANE_HEIGHT;
      svg.append("<text x=\"4\" y=\"").append(y + BAR_HEIGHT / 2 + 4).append("\">process ");
      svg.append(p).append("</text>\n");
      svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotWidth);
      svg.append("\" y1=\"")
          .append(y + LANE_HEIGHT - 4)
          .append("\" y2=\"")
          .append(y + LANE_HEIGHT - 4);
      svg.append("\" stroke=\"#eee\"/>\n");
      lane++;
    }
    for (Operation op : history.operations()) {
      double x0 = LEFT + (op.invokeNanos() - t0) / span * plotWidth;
      double end =
          op.completeNanos() == Operation.NOT_COMPLETED
              ? LEFT + plotWidth
              : LEFT + (op.completeNanos() - t0) / span * plotWidth;
      double w = Math.max(3, end - x0);
      int y = TOP + laneOf.get(op.process()) * LANE_HEIGHT;
      boolean hot = highlighted.contains(op.id());
      String fill =
          switch (op.status()) {
            case OK -> "#7fc97f";
            case FAIL -> "#bdbdbd";
            case INFO -> "#fdb462";
          };
      svg.append("<g><title>").append(escape(tooltip(op, t0))).append("</title>");
      svg.append("<rect x=\"").append(fmt(x0)).append("\" y=\"").append(y);
      svg.append("\" width=\"").append(fmt(w)).append("\" height=\"").append(BAR_HEIGHT);
      svg.append("\" rx=\"3\" fill=\"").append(fill).append('"');
      if (hot) {
        svg.append(" stroke=\"#d7191c\" stroke-width=\"3\"");
      } else if (op.status() == OpStatus.INFO) {
        svg.append(" stroke=\"#e6550d\" stroke-dasharray=\"4 2\"");
      }
      svg.append(" class=\"").append(hot ? "op violation" : "op").append("\"/>");
      svg.append("<text x=\"").append(fmt(x0 + 3)).append("\" y=\"").append(y + BAR_HEIGHT / 2 + 4);
      svg.append("\"").append(hot ? " font-weight=\"bold\"" : "").append('>');
      svg.append(escape(op.describe())).append("</text></g>\n");
    }
    svg.append("</svg>\n");

    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
    html.append(escape(title)).append("</title></head>\n<body style=\"font-family:sans-serif\">\n");
    html.append("<h1>").append(escape(title)).append("</h1>\n<p>").append(escape(caption));
    html.append(" &#8212; ").append(history.size()).append(" operations, ");
    html.append(processes.size()).append(" processes; green OK, grey FAIL, orange INFO, ");
    html.append("red outline: minimal violating sub-history</p>\n");
    html.append(svg);
    html.append("<pre>").append(escape(details)).append("</pre>\n</body></html>\n");
    return html.toString();
  }

  /** Renders and writes the page to {@code file} as UTF-8. */
  public static void write(Path file, History history, CheckResult result, String title)
      throws IOException {
    Files.writeString(file, render(history, result, title), StandardCharsets.UTF_8);
  }

  private static String tooltip(Operation op, long t0) {
    String end =
        op.completeNanos() == Operation.NOT_COMPLETED
            ? "never"
            : Long.toString(op.completeNanos() - t0);
    return "op "
        + op.id()
        + " "
        + op.describe()
        + " "
        + op.status()
        + " ["
        + (op.invokeNanos() - t0)
        + ".."
        + end
        + "]";
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d);
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
