package dev.trainyard.bench.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The trainer side of the callback contract over real HTTP ({@code java.net.http}, asynchronous):
 * {@code POST {BACKEND_BASE_URL}/v1/jobs/{id}/heartbeat|event|done} with the job's bearer token.
 */
public final class CallbackClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final Duration timeout;

  public CallbackClient(Executor executor, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    this.timeout = timeout;
  }

  /** What came back, and how long it took (nanoseconds from send to the full reply). */
  public record Reply(int status, String body, long latencyNanos) {
    public boolean ok() {
      return status == 200;
    }
  }

  public CompletableFuture<Reply> post(String baseUrl, long jobId, String call, String token, Object body) {
    String json;
    try {
      json = body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + jobId + "/" + call))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    long start = System.nanoTime();
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Reply(r.statusCode(), r.body(), System.nanoTime() - start));
  }

  public HttpClient http() {
    return http;
  }
}
