package dev.trainyard.bench.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Sends launches from a worker process to the simulator's {@link LaunchReceiver} over loopback
 * HTTP. A failure throws, so the launch activity is retried as a failed process start would be.
 */
public final class HttpLaunchSink implements LaunchSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI launches;
  private final URI stops;

  public HttpLaunchSink(String simulatorUrl) {
    String base = simulatorUrl.endsWith("/") ? simulatorUrl : simulatorUrl + "/";
    this.launches = URI.create(base + "launch");
    this.stops = URI.create(base + "stop");
  }

  @Override
  public void launched(SimulatedLaunch launch) {
    post(
        launches,
        Map.of(
            "job_id", launch.jobId(),
            "environment", launch.environment(),
            "launched_at_millis", launch.launchedAtMillis()));
  }

  @Override
  public void stop(long jobId) {
    post(stops, Map.of("job_id", jobId));
  }

  private void post(URI uri, Map<String, Object> body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 204) {
        throw new IllegalStateException(
            "simulator answered " + response.statusCode() + " on " + uri);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("simulator unreachable at " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
