package dev.catena.tests.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.history.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineRendererTest {
  @Test
  void writesSelfContainedPageWithViolationHighlighted(@TempDir Path dir) throws Exception {
    Hist h = new Hist();
    h.key("ok").write(3, "<a&b>", 0, 5).read(4, "<a&b>", 6, 7);
    h.key("x")
        .write(0, "1", 10, 11)
        .write(0, "2", 12, 13)
        .read(1, "1", 14, 15)
        .writeInfo(2, "3", 16);
    History history = h.build();
    CheckResult result = new LinearizabilityChecker().check(history);
    Path file = dir.resolve("timeline.html");
    TimelineRenderer.write(file, history, result, "stale read");
    String html = Files.readString(file);

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "NOT_LINEARIZABLE");
    // No external resources: no scripts, links, images or URLs other than the SVG namespace.
    assertThat(html).doesNotContain("<script", "<link", "<img", "src=", "href=", "@import");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
    // One lane per process, one bar per op, the three witness ops outlined.
    assertThat(count(html, "<rect ")).isEqualTo(history.size());
    assertThat(count(html, "class=\"op violation\"")).isEqualTo(3);
    assertThat(html).contains("process 0", "process 4");
    // Values are escaped.
    assertThat(html).contains("&lt;a&amp;b&gt;").doesNotContain("<a&b>");
  }

  private static int count(String s, String needle) {
    return (int) Pattern.compile(Pattern.quote(needle)).matcher(s).results().count();
  }
}
