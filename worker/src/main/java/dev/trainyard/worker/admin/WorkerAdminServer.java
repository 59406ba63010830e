package dev.trainyard.worker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's admin port: {@code GET /healthcheck} (200 when every {@link WorkerHealth} check
 * passes, else 503, with Dropwizard's JSON shape) and {@code GET /metrics} (Prometheus text 0.0.4).
 * The JDK's own HTTP server: the worker runs no other, and two read-only routes need no more.
 */
public final class WorkerAdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerAdminServer.class);

  /** PrometheusTextFormatWriter.CONTENT_TYPE (a runtime-only class of the registry's). */
  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads;

  private WorkerAdminServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Listens on {@code bindHost:port} (port 0: any free one, for tests and the dev stack). */
  public static WorkerAdminServer start(
      String bindHost, int port, WorkerHealth health, PrometheusMeterRegistry metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
    server.createContext(
        "/healthcheck", exchange -> serve(exchange, () -> health(exchange, health)));
    server.createContext("/metrics", exchange -> serve(exchange, () -> metrics(exchange, metrics)));
    server.createContext(
        "/", exchange -> serve(exchange, () -> text(exchange, 404, "not found\n")));
    // two threads: a probe and a scrape at once; a slow health check does not hold up /metrics
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "worker-admin");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(threads);
    server.start();
    log.info(
        "worker admin port on {}:{} (/healthcheck, /metrics)",
        bindHost,
        server.getAddress().getPort());
    return new WorkerAdminServer(server, threads);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private interface Reply {
    void send() throws IOException;
  }

  private static void serve(HttpExchange exchange, Reply reply) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      boolean known = path.equals("/healthcheck") || path.equals("/metrics");
      if (!known) {
        text(exchange, 404, "not found\n");
      } else if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        text(exchange, 405, "GET only\n");
      } else {
        reply.send();
      }
    } catch (IOException | RuntimeException e) {
      log.warn("admin request {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  private static void health(HttpExchange exchange, WorkerHealth health) throws IOException {
    Map<String, WorkerHealth.Result> results = health.check();
    boolean healthy = results.values().stream().allMatch(WorkerHealth.Result::healthy);
    byte[] body = JSON.writeValueAsBytes(results);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(healthy ? 200 : 503, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void metrics(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", METRICS_TYPE);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, 0); // chunked: the scrape is written as it is made
    try (OutputStream out = exchange.getResponseBody()) {
      registry.scrape(out, METRICS_TYPE);
    }
  }

  private static void text(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
