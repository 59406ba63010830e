package dev.trainyard.app.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in API serving {@code GET /v1/jobs/7/stream} in the contract's wire format, each
 * connection played by a test's {@link Script}; it records the {@code Last-Event-ID} each
 * connection sent. {@code GET /v1/jobs/7} answers {@link #job}; other paths 404 as problem+json.
 */
final class FakeJobStreams implements AutoCloseable {
  /** Plays one connection: {@code connection} counts from 0. */
  interface Script {
    void play(int connection, String lastEventId, Connection out) throws Exception;
  }

  /** The open response of one connection. */
  static final class Connection {
    private final OutputStream body;

    Connection(OutputStream body) {
      this.body = body;
    }

    /** Writes raw event-stream text and flushes it to the client. */
    Connection write(String text) throws IOException {
      body.write(text.getBytes(StandardCharsets.UTF_8));
      body.flush();
      return this;
    }

    /** One message: {@code id:}, {@code event:}, then each line of {@code data} as a data line. */
    Connection message(String id, String type, String data) throws IOException {
      StringBuilder text = new StringBuilder("id: " + id + "\nevent: " + type + "\n");
      data.lines().forEach(line -> text.append("data: ").append(line).append('\n'));
      return write(text.append('\n').toString());
    }
  }

  final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  volatile String job = "{}";
  volatile int streamStatus = 200;
  private final HttpServer server;

  FakeJobStreams(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          try (exchange) {
            if (path.equals("/v1/jobs/7/stream") && streamStatus == 200) {
              String lastId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
              int connection = lastEventIds.size();
              lastEventIds.add(String.valueOf(lastId));
              exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              script.play(connection, lastId, new Connection(exchange.getResponseBody()));
            } else if (path.equals("/v1/jobs/7") && streamStatus == 200) {
              send(exchange, 200, "application/json", job);
            } else {
              int status = path.equals("/v1/jobs/7/stream") ? streamStatus : 404;
              send(
                  exchange,
                  status,
                  "application/problem+json",
                  "{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":"
                      + status
                      + ",\"detail\":\"job 7 says "
                      + status
                      + "\"}");
            }
          } catch (IOException e) {
            // the client went away mid-stream, as clients do
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    // each connection on its own thread: a stream stays open while the next one connects
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  ApiClient client() {
    return new ApiClient(
        "http://127.0.0.1:" + server.getAddress().getPort(), ApiOptions.Json.MAPPER);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void send(
      com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
