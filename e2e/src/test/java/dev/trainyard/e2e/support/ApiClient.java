package dev.trainyard.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The user API over HTTP, as a user's tool would call it. */
public final class ApiClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A scripted-trainer job; {@code hyperparameters} choose its behaviour (see its README). */
  public static ObjectNode scriptedJob(int epochs, double secondsPerEpoch) {
    ObjectNode job =
        JSON.createObjectNode()
            .put("framework", "scripted")
            .put("model_name", "e2e-net")
            .put("dataset_id", "e2e-shapes")
            .put("epochs", epochs)
            .put("batch_size", 8)
            .put("learning_rate", 0.01)
            .put("project_id", "e2e")
            .put("heartbeat_timeout_seconds", 120)
            .put("startup_timeout_seconds", 120)
            .put("cancel_grace_seconds", 10);
    job.putObject("hyperparameters").put("seconds_per_epoch", secondsPerEpoch);
    return job;
  }

  public JsonNode submit(ObjectNode job) {
    HttpResponse<String> reply = send(post("/v1/jobs", job.toString()));
    if (reply.statusCode() != 201) {
      throw new IllegalStateException(
          "submit answered " + reply.statusCode() + ": " + reply.body());
    }
    return parse(reply.body());
  }

  public JsonNode job(long jobId) {
    HttpResponse<String> reply = send(get("/v1/jobs/" + jobId));
    if (reply.statusCode() != 200) {
      throw new IllegalStateException("GET job " + jobId + " answered " + reply.statusCode());
    }
    return parse(reply.body());
  }

  public int cancel(long jobId) {
    return send(post("/v1/jobs/" + jobId + "/cancel", "")).statusCode();
  }

  /** True when the API answers its user API (used to wait for a (re)started API process). */
  public boolean answers() {
    try {
      return http.send(get("/v1/jobs?limit=1"), HttpResponse.BodyHandlers.ofString()).statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
