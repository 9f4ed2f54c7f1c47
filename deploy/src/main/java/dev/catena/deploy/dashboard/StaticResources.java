package dev.catena.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.catena.deploy.metrics.HttpReplies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the dashboard's page and its vendored files from the class path ({@code dashboard/…} in
 * the jar): {@code /} is {@code index.html}; a path of plain names ({@code /vendor/uplot/uPlot.iife
 * .min.js}) maps to the resource of that name. Anything else, including any path with {@code ..},
 * is 404. Files found are read once and kept (a few small files that never change while the process
 * runs); misses are not kept, so requests for made-up paths cannot grow the cache.
 */
final class StaticResources implements HttpHandler {
  /** Path segments of letters, digits, '.', '_' and '-' that do not start with a dot. */
  private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml",
          "md", "text/plain; charset=utf-8");

  private final String root;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * @param root class path folder of the files, e.g. {@code dashboard}
   */
  StaticResources(String root) {
    this.root = root;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.equals("/")) {
      path = "/index.html";
    }
    byte[] body = SAFE.matcher(path).matches() ? cache.computeIfAbsent(path, this::load) : null;
    if (body == null) {
      HttpReplies.send(ex, 404, HttpReplies.TEXT, "no such page: try / or /metrics\n");
      return;
    }
    HttpReplies.send(ex, 200, type(path), body, "no-cache");
  }

  /** The resource's bytes, or null if there is none (then nothing is cached). */
  private byte[] load(String path) {
    try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(root + path)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + root + path, e);
    }
  }

  /** The content type by extension; files without one (LICENSE) are plain text. */
  static String type(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0
        ? HttpReplies.TEXT
        : TYPES.getOrDefault(name.substring(dot + 1), "application/octet-stream");
  }
}
