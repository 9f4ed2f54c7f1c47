package dev.catena.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.catena.deploy.metrics.HttpReplies;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code GET /api/cluster}: the latest document of the dashboard's sampler ({@link DashboardView}),
 * copied out as it is; 503 until the first round has read the cluster.
 */
final class DashboardApi implements HttpHandler {
  static final String PATH = "/api/cluster";

  private final Supplier<byte[]> document;

  DashboardApi(Supplier<byte[]> document) {
    this.document = document;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals(PATH)) {
      HttpReplies.send(ex, 404, HttpReplies.TEXT, "no such endpoint: try " + PATH + "\n");
      return;
    }
    byte[] body = document.get();
    if (body == null) {
      HttpReplies.send(ex, 503, HttpReplies.TEXT, "the cluster has not been read yet\n");
      return;
    }
    HttpReplies.send(ex, 200, "application/json", body, "no-store");
  }
}
