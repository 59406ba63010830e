package dev.trainyard.bench.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The trainer side of the callback contract over real HTTP/1.1 keep-alive connections: {@code POST
 * {BACKEND_BASE_URL}/v1/jobs/{id}/heartbeat|event|done} with the job's bearer token. Calls queue
 * per API address and a fixed set of connections (one thread each) works the queue; a call is never
 * resent, so a transport error is reported as one.
 */
public final class CallbackClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final int connections;
  private final Duration timeout;
  private final Map<String, BlockingQueue<Call>> queues = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public CallbackClient(int connections, Duration timeout) {
    this.connections = connections;
    this.timeout = timeout;
  }

  /** What came back, and how long it took (nanoseconds from send to the full reply). */
  public record Reply(int status, String body, long latencyNanos) {
    public boolean ok() {
      return status == 200;
    }
  }

  private record Call(
      String path, String token, byte[] json, long queuedAt, CompletableFuture<Reply> reply) {}

  public CompletableFuture<Reply> post(
      String baseUrl, long jobId, String call, String token, Object body) {
    byte[] json;
    try {
      json =
          (body instanceof String s ? s : JSON.writeValueAsString(body))
              .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    URI base = URI.create(baseUrl);
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    queues
        .computeIfAbsent(base.getHost() + ":" + base.getPort(), address -> connect(base))
        .add(
            new Call(
                base.getPath() + "/v1/jobs/" + jobId + "/" + call,
                token,
                json,
                System.nanoTime(),
                reply));
    return reply;
  }

  private BlockingQueue<Call> connect(URI base) {
    BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    for (int i = 0; i < connections; i++) {
      Thread worker = new Thread(() -> work(queue, base), "sim-http-" + base.getPort() + "-" + i);
      worker.setDaemon(true);
      worker.start();
    }
    return queue;
  }

  private void work(BlockingQueue<Call> queue, URI base) {
    try (KeepAliveConnection connection =
        new KeepAliveConnection(base.getHost(), base.getPort(), timeout)) {
      while (!closed) {
        Call call = queue.take();
        try {
          KeepAliveConnection.Exchange exchange =
              connection.post(call.path(), call.token(), call.json());
          call.reply()
              .complete(
                  new Reply(
                      exchange.status(), exchange.body(), System.nanoTime() - call.queuedAt()));
        } catch (IOException | RuntimeException e) {
          call.reply().completeExceptionally(e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
