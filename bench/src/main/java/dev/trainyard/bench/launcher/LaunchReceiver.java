package dev.trainyard.bench.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The simulator's end of {@link HttpLaunchSink}: loopback only, hands launches to a local sink. */
public final class LaunchReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  private LaunchReceiver(HttpServer server) {
    this.server = server;
  }

  public static LaunchReceiver start(LaunchSink sink) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    LaunchReceiver receiver = new LaunchReceiver(server);
    server.createContext(
        "/launch",
        exchange ->
            handle(
                exchange,
                body -> {
                  Map<String, String> env = new LinkedHashMap<>();
                  body.get("environment")
                      .fields()
                      .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
                  sink.launched(
                      new SimulatedLaunch(
                          body.get("job_id").asLong(),
                          env,
                          body.get("launched_at_millis").asLong()));
                }));
    server.createContext(
        "/stop", exchange -> handle(exchange, body -> sink.stop(body.get("job_id").asLong())));
    server.setExecutor(receiver.threads);
    server.start();
    return receiver;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private interface BodyHandler {
    void accept(JsonNode body);
  }

  private static void handle(HttpExchange exchange, BodyHandler handler) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      try {
        handler.accept(JSON.readTree(in));
        exchange.sendResponseHeaders(204, -1);
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(500, -1);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
