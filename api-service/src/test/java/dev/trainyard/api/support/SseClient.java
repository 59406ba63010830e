package dev.trainyard.api.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's Server-Sent Events client: reads frames on its own thread into a queue, so a test waits
 * for the frames it expects, with a deadline.
 */
public final class SseClient implements AutoCloseable {
  /** One message; {@code id} null when the frame had none. */
  public record Frame(String id, String event, String data) {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final int status;
  public final String contentType;
  private final InputStream body;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<Frame> seen = new ArrayList<>();
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.contentType = response.headers().firstValue("Content-Type").orElse("");
    this.contentEncoding = response.headers().firstValue("Content-Encoding").orElse("identity");
    this.body = response.body();
    this.reader = new Thread(this::read, "sse-test-client");
    this.reader.setDaemon(true);
    if (status == 200) {
      this.reader.start(); // a refusal's body is read by refusal()
    }
  }

  public final String contentEncoding;

  public static SseClient open(
      int port, String path, String key, String lastEventId, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/event-stream");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new SseClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            frames.add(new Frame(id, event == null ? "message" : event, data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
    } catch (IOException e) {
      // closed by the test
    } finally {
      ended = true;
    }
  }

  /** The body text of a refusal (the stream was never opened). */
  public String refusal() throws IOException {
    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The next frame that matches, skipping others (they are kept in {@link #seen}). */
  public Frame await(Predicate<Frame> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Frame frame = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError(
            "no matching frame within " + timeout + "; saw " + seen + (ended ? " (ended)" : ""));
      }
      seen.add(frame);
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  public Frame awaitEvent(String event, Duration timeout) throws InterruptedException {
    return await(f -> f.event().equals(event), timeout);
  }

  /** Every frame read so far, in order (drains what arrived). */
  public List<Frame> seen() {
    frames.drainTo(seen);
    return List.copyOf(seen);
  }

  /** Whether the server closed the stream (waits up to the timeout). */
  public boolean awaitEnded(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
    return ended;
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
