package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The one client of the user API (`/v1/jobs`): the CLI's commands, the bench and the e2e suite all
 * call the API through it. Every answer is a JSON tree; errors become {@link ApiException} (with
 * the problem's detail) or {@link ApiUnreachableException}. Thread-safe.
 */
public final class ApiClient {
  /** How long the CLI waits for one answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private final String baseUrl;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;

  public ApiClient(String baseUrl, ObjectMapper json) {
    this(baseUrl, json, DEFAULT_TIMEOUT);
  }

  /** A client that waits up to {@code timeout} for each answer (a loaded bench API is slower). */
  public ApiClient(String baseUrl, ObjectMapper json, Duration timeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.json = json;
    this.timeout = timeout;
    // The API speaks HTTP/1.1 only: asking each new connection for an h2c upgrade gains nothing.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Submits a job; {@code idempotencyKey} may be null. Returns the submit reply. */
  public JsonNode submit(ObjectNode body, String idempotencyKey) {
    HttpRequest.Builder request = post("/v1/jobs", body);
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return jsonAnswer(request);
  }

  public JsonNode job(long jobId) {
    return jsonAnswer(get("/v1/jobs/" + jobId, Map.of()));
  }

  public JsonNode list(String status, Integer limit, Long before) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("status", status);
    query.put("limit", limit);
    query.put("before", before);
    return jsonAnswer(get("/v1/jobs", query));
  }

  public JsonNode cancel(long jobId) {
    return jsonAnswer(post("/v1/jobs/" + jobId + "/cancel", json.createObjectNode()));
  }

  public JsonNode events(long jobId, Long after, int limit) {
    return jsonAnswer(get("/v1/jobs/" + jobId + "/events", pageQuery(after, limit)));
  }

  public JsonNode metrics(long jobId, Long after, int limit) {
    return jsonAnswer(get("/v1/jobs/" + jobId + "/metrics", pageQuery(after, limit)));
  }

  /**
   * Streams a job's trainer log line by line to {@code lines} (until the job ends, when following).
   * The request has no overall timeout when following: a training run may last days.
   */
  public void logs(
      long jobId, int tail, boolean follow, java.util.function.Consumer<String> lines) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("tail", tail);
    query.put("follow", follow);
    HttpRequest.Builder request =
        get("/v1/jobs/" + jobId + "/logs", query).header("Accept", "text/plain");
    if (!follow) {
      request.timeout(timeout);
    }
    HttpResponse<java.util.stream.Stream<String>> response =
        exchange(request.build(), HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> body = response.body()) {
      if (response.statusCode() >= 400) {
        String text = String.join("\n", (Iterable<String>) body::iterator);
        throw problem(response.statusCode(), parse(text.getBytes(StandardCharsets.UTF_8)));
      }
      body.forEach(lines);
    } catch (java.io.UncheckedIOException e) {
      throw new ApiUnreachableException(baseUrl, e.getCause());
    }
  }

  /**
   * Any request as given, answered as it came, whatever its status: for tests that probe how the
   * API refuses what the calls above never send (a malformed body, a hostile header, a callback).
   * {@code body} may be null (no body); {@code headers} are name, value pairs. Only a missing
   * answer throws ({@link ApiUnreachableException}).
   */
  public ApiReply send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .method(
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
    HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
    return new ApiReply(
        response.statusCode(),
        response.body(),
        response.headers().firstValue("Content-Type").orElse(""));
  }

  private static Map<String, Object> pageQuery(Long after, int limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("after", after);
    query.put("limit", limit);
    return query;
  }

  private HttpRequest.Builder get(String path, Map<String, Object> query) {
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            params.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
          }
        });
    return HttpRequest.newBuilder(URI.create(baseUrl + path + params)).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    try {
      return HttpRequest.newBuilder(URI.create(baseUrl + path))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
  }

  private JsonNode jsonAnswer(HttpRequest.Builder request) {
    HttpResponse<byte[]> response =
        exchange(
            request.timeout(timeout).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), body);
    }
    return body;
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler) {
    try {
      return http.send(request, bodyHandler);
    } catch (IOException e) {
      throw new ApiUnreachableException(baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiUnreachableException(baseUrl, e);
    }
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      // A proxy or a crashed server may answer with HTML; keep its first words for the user.
      String text = new String(body, StandardCharsets.UTF_8).strip();
      return json.createObjectNode().put("detail", text.substring(0, Math.min(200, text.length())));
    }
  }

  private static ApiException problem(int status, JsonNode body) {
    Map<String, String> fieldErrors = new LinkedHashMap<>();
    body.path("errors")
        .properties()
        .forEach(e -> fieldErrors.put(e.getKey(), e.getValue().asText()));
    String title = body.path("title").asText("HTTP " + status);
    String detail = body.hasNonNull("detail") ? body.get("detail").asText() : null;
    return new ApiException(status, title, detail, fieldErrors);
  }
}
