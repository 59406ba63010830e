package dev.trainyard.bench.report;

import dev.trainyard.app.cli.SseEvent;
import dev.trainyard.app.cli.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dashboard users watching the fleet: {@code jobClients} streams of one running job each ({@code
 * GET /v1/jobs/{id}/stream}, as the job page opens) and {@code listClients} streams of the whole
 * list, connected for the steady window. Counts what they receive, and how often a stream broke off
 * before the window ended (a dropped slow client, or an error).
 */
public final class StreamClients implements AutoCloseable {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Thread> readers = new ArrayList<>();
  private final List<InputStream> bodies = new ArrayList<>();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong metricFrames = new AtomicLong();
  private final AtomicLong broken = new AtomicLong();
  private final AtomicLong failedToOpen = new AtomicLong();
  private volatile boolean closing;
  private long framesAtMark;
  private long markNanos;
  private final int jobClients;
  private final int listClients;

  private StreamClients(int jobClients, int listClients) {
    this.jobClients = jobClients;
    this.listClients = listClients;
  }

  public static StreamClients open(
      String apiUrl, String key, List<Long> jobIds, int jobClients, int listClients)
      throws InterruptedException {
    StreamClients clients = new StreamClients(jobClients, listClients);
    for (int i = 0; i < jobClients; i++) {
      clients.connect(apiUrl + "/v1/jobs/" + jobIds.get(i % jobIds.size()) + "/stream", key);
    }
    for (int i = 0; i < listClients; i++) {
      clients.connect(apiUrl + "/v1/jobs/stream", key);
    }
    return clients;
  }

  private void connect(String url, String key) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream")
            .build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        failedToOpen.incrementAndGet();
        response.body().close();
        return;
      }
      InputStream body = response.body();
      bodies.add(body);
      Thread reader = new Thread(() -> read(body), "bench-stream-client");
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    } catch (IOException e) {
      failedToOpen.incrementAndGet();
    }
  }

  private void read(InputStream body) {
    try (body) {
      SseReader reader = new SseReader(body);
      for (SseEvent event = reader.next(); event != null; event = reader.next()) {
        frames.incrementAndGet();
        if (event.type().equals("metric")) {
          metricFrames.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // counted below unless the bench closed it
    }
    if (!closing) {
      broken.incrementAndGet();
    }
  }

  /** Starts counting for the window. */
  public void mark() {
    framesAtMark = frames.get();
    markNanos = System.nanoTime();
  }

  public Map<String, Object> results() {
    double seconds = (System.nanoTime() - markNanos) / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("job_stream_clients", jobClients);
    out.put("list_stream_clients", listClients);
    out.put("failed_to_open", failedToOpen.get());
    out.put("frames_per_second_in_window", (frames.get() - framesAtMark) / seconds);
    out.put("metric_frames_total", metricFrames.get());
    out.put("streams_broken_off", broken.get());
    return out;
  }

  @Override
  public void close() {
    closing = true;
    for (InputStream body : bodies) {
      try {
        body.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
