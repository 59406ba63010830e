package dev.trainyard.bench.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The user API, as the CLI uses it: submit a job, read it back. Blocking; one call per thread. */
public final class UserApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String baseUrl;

  public UserApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A valid job for the simulated runtime; override any field with {@code extra}. */
  public static Map<String, Object> jobBody(
      int heartbeatTimeoutSeconds, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("framework", "simulated");
    body.put("model_name", "bench-net");
    body.put("dataset_id", "bench-data");
    body.put("epochs", 10);
    body.put("batch_size", 32);
    body.put("learning_rate", 0.001);
    body.put("project_id", "bench");
    body.put("heartbeat_timeout_seconds", heartbeatTimeoutSeconds);
    body.put("startup_timeout_seconds", 600);
    body.put("max_runtime_seconds", 86_400);
    body.put("cancel_grace_seconds", 5);
    body.putAll(extra);
    return body;
  }

  /** Submits; returns the new job id. Throws unless 201. */
  public long submit(Map<String, Object> body) {
    Response response = send("POST", "/v1/jobs", write(body));
    if (response.status() != 201) {
      throw new IllegalStateException(
          "submit answered " + response.status() + ": " + response.body());
    }
    return response.json().get("job_id").asLong();
  }

  public JsonNode job(long jobId) {
    Response response = send("GET", "/v1/jobs/" + jobId, null);
    if (response.status() != 200) {
      throw new IllegalStateException("GET job " + jobId + " answered " + response.status());
    }
    return response.json();
  }

  public record Response(int status, String body, String contentType) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /** Any request, with a raw body (may be malformed on purpose) and extra headers. */
  public Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
