package dev.catena.deploy.metrics;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers of the admin endpoint's handlers (JDK {@code com.sun.net.httpserver}): read-only, so GET
 * and HEAD are served and any other method is 405 with {@code Allow: GET, HEAD}. Every reply closes
 * the exchange.
 */
public final class HttpReplies {
  /** Plain UTF-8 text. */
  public static final String TEXT = "text/plain; charset=utf-8";

  private HttpReplies() {}

  /** Sends {@code body} as {@code status} with content type {@code type}. */
  public static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8), "no-store");
  }

  /**
   * Sends {@code body} as {@code status} with content type {@code type} and {@code Cache-Control:
   * cacheControl}.
   */
  public static void send(
      HttpExchange ex, int status, String type, byte[] body, String cacheControl)
      throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      ex.getResponseHeaders().set("Cache-Control", cacheControl);
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
