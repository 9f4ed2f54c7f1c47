package dev.catena.deploy.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the nodes' {@code /metrics} over HTTP, all at once, each within a timeout: a node that
 * does not answer in time (paused, partitioned, dead) is simply missing from the result, so one
 * node never holds up the others' figures.
 */
final class NodeScraper {
  private final HttpClient http;
  private final Duration timeout;

  NodeScraper(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * The expositions of the nodes that answered 200 in time.
   *
   * @param adminAddresses {@code host:port} of each node's admin endpoint, by node id
   */
  Map<String, String> scrape(Map<String, String> adminAddresses) throws InterruptedException {
    var pending = new HashMap<String, CompletableFuture<HttpResponse<String>>>();
    adminAddresses.forEach(
        (node, address) ->
            pending.put(
                node,
                http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                        .timeout(timeout)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())));
    var out = new HashMap<String, String>();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (var e : pending.entrySet()) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        HttpResponse<String> r = e.getValue().get(left, TimeUnit.NANOSECONDS);
        if (r.statusCode() == 200) {
          out.put(e.getKey(), r.body());
        }
      } catch (ExecutionException | TimeoutException failed) {
        e.getValue().cancel(true); // no answer in time: no figures from this node this round
      }
    }
    return out;
  }
}
