package dev.catena.deploy.metrics;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint of a Catena process (JDK {@code com.sun.net.httpserver}, one thread):
 * {@code GET /metrics} is the Prometheus text exposition of the process's registry, {@code GET
 * /healthz} answers {@code 200 ok} while the process is healthy and {@code 503} with the reason
 * otherwise. A process may add routes of its own (the manager's dashboard); anything else is 404.
 * Methods other than GET and HEAD are 405 ({@link HttpReplies}).
 */
public final class AdminServer implements AutoCloseable {
  /** Content type of the Prometheus text format 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Whether the process serves, and why not.
   *
   * @param healthy true if the process does its job
   * @param detail one line: {@code ok}, or what is wrong
   */
  public record Health(boolean healthy, String detail) {
    public static final Health OK = new Health(true, "ok");

    public static Health unhealthy(String reason) {
      return new Health(false, reason);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code host:port} (0 = a free port).
   *
   * @param beforeScrape run before each scrape (refreshes gauges that are read in one go)
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static AdminServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape,
      Supplier<Health> health) {
    return start(host, port, registry, beforeScrape, health, Map.of());
  }

  /**
   * Like {@link #start(String, int, PrometheusMeterRegistry, Runnable, Supplier)}, also serving
   * {@code routes} (path prefix → handler; a handler for {@code /} replaces the 404 for every other
   * path).
   */
  public static AdminServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Runnable beforeScrape,
      Supplier<Health> health,
      Map<String, HttpHandler> routes) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on admin port " + host + ":" + port, e);
    }
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("catena-admin").setDaemon(true).build());
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        ex -> {
          beforeScrape.run();
          HttpReplies.send(ex, 200, PROMETHEUS_TEXT, registry.scrape());
        });
    server.createContext(
        "/healthz",
        ex -> {
          Health h = health.get();
          HttpReplies.send(ex, h.healthy() ? 200 : 503, HttpReplies.TEXT, h.detail() + "\n");
        });
    routes.forEach(server::createContext);
    if (!routes.containsKey("/")) {
      server.createContext(
          "/", ex -> HttpReplies.send(ex, 404, HttpReplies.TEXT, "try /metrics or /healthz\n"));
    }
    server.start();
    return new AdminServer(server, executor);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
