package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one client of the user API: the CLI's commands, the bench and the e2e suite all call the API
 * through it. It sends its API key as {@code Authorization: Bearer <key>} on every request (a
 * client made without one sends none, and every user route answers 401). Every answer is a JSON
 * tree; errors become {@link ApiException} (with the problem's detail; {@link
 * ApiKeyRefusedException} for 401, {@link AccessDeniedException} for a role too low) or {@link
 * ApiUnreachableException}. Thread-safe. The key is never part of any message or {@code toString}.
 */
public final class ApiClient {
  /** How long the CLI waits for one answer. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /** Dataset uploads and artifact downloads: large bodies on slow links. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);

  private final String baseUrl;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;
  private final String apiKey;
  private final String keyOrigin;

  /** A client without a key: only for probing refusals (every user route answers it 401). */
  public ApiClient(String baseUrl, ObjectMapper json) {
    this(baseUrl, json, DEFAULT_TIMEOUT);
  }

  /** As {@link #ApiClient(String, ObjectMapper)}, waiting up to {@code timeout} for each answer. */
  public ApiClient(String baseUrl, ObjectMapper json, Duration timeout) {
    this(baseUrl, json, timeout, null);
  }

  /**
   * A client that sends {@code apiKey} (null: none) and waits up to {@code timeout} for each answer
   * (a loaded bench API is slower).
   */
  public ApiClient(String baseUrl, ObjectMapper json, Duration timeout, String apiKey) {
    this(
        trimSlash(baseUrl),
        // The API speaks HTTP/1.1 only: asking each new connection for an h2c upgrade gains
        // nothing.
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        json,
        timeout,
        apiKey,
        null);
  }

  private ApiClient(
      String baseUrl,
      HttpClient http,
      ObjectMapper json,
      Duration timeout,
      String apiKey,
      String keyOrigin) {
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("an API key cannot be blank");
    }
    this.baseUrl = baseUrl;
    this.http = http;
    this.json = json;
    this.timeout = timeout;
    this.apiKey = apiKey;
    this.keyOrigin = keyOrigin;
  }

  /** The same client (same connections) sending {@code apiKey} instead; null sends none. */
  public ApiClient withKey(String apiKey) {
    return withKey(apiKey, apiKey == null ? null : "this client");
  }

  /** As {@link #withKey(String)}, naming where the key came from (a 401 message says it). */
  public ApiClient withKey(String apiKey, String origin) {
    return new ApiClient(baseUrl, http, json, timeout, apiKey, apiKey == null ? null : origin);
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Whether this client sends a key. */
  public boolean hasKey() {
    return apiKey != null;
  }

  // --- identity, projects, keys, audit --------------------------------------------------------

  /** {@code GET /v1/whoami}: the key's id, name, project (null for a global admin) and role. */
  public JsonNode whoami() {
    return jsonAnswer(get("/v1/whoami", Map.of()), ApiAction.viewer("read its own identity"));
  }

  /** {@code POST /v1/projects} (global admin): 201 with the project; 409 when it exists. */
  public JsonNode createProject(String name) {
    return jsonAnswer(
        post("/v1/projects", json.createObjectNode().put("name", name)),
        ApiAction.globalAdmin("create projects"));
  }

  /** {@code GET /v1/projects}: the projects this key can see. */
  public JsonNode projects() {
    return jsonAnswer(get("/v1/projects", Map.of()), ApiAction.viewer("list projects"));
  }

  /**
   * {@code POST /v1/projects/{project}/keys} (admin): the reply carries the new key, the only time
   * it is ever shown. {@code expiresInSeconds} may be null (no expiry).
   */
  public JsonNode createKey(String project, String name, String role, Long expiresInSeconds) {
    ObjectNode body = json.createObjectNode().put("name", name).put("role", role);
    if (expiresInSeconds != null) {
      body.put("expires_in_seconds", expiresInSeconds);
    }
    return jsonAnswer(
        post("/v1/projects/" + segment(project) + "/keys", body),
        ApiAction.admin("create keys in project " + project));
  }

  /** {@code GET /v1/projects/{project}/keys} (admin): the keys, never their secrets. */
  public JsonNode keys(String project) {
    return jsonAnswer(
        get("/v1/projects/" + segment(project) + "/keys", Map.of()),
        ApiAction.admin("list the keys of project " + project));
  }

  /** {@code DELETE /v1/keys/{key_id}} (admin of its project): the key's view with revoked_at. */
  public JsonNode revokeKey(String keyId) {
    return jsonAnswer(
        request("/v1/keys/" + segment(keyId), Map.of()).DELETE(), ApiAction.admin("revoke keys"));
  }

  /** {@code GET /v1/audit} (admin): newest first; every argument may be null. */
  public JsonNode audit(String project, Integer limit, Long before) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("project", project);
    query.put("limit", limit);
    query.put("before", before);
    return jsonAnswer(get("/v1/audit", query), ApiAction.admin("read the audit log"));
  }

  // --- jobs ------------------------------------------------------------------------------------

  /** Submits a job; {@code idempotencyKey} may be null. Returns the submit reply. */
  public JsonNode submit(ObjectNode body, String idempotencyKey) {
    HttpRequest.Builder request = post("/v1/jobs", body);
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    String project = body.path("project_id").asText("");
    return jsonAnswer(
        request,
        ApiAction.member("submit jobs" + (project.isEmpty() ? "" : " to project " + project)));
  }

  public JsonNode job(long jobId) {
    return jsonAnswer(get("/v1/jobs/" + jobId, Map.of()), ApiAction.viewer("read jobs"));
  }

  public JsonNode list(String status, Integer limit, Long before) {
    return list(null, status, limit, before);
  }

  /** The jobs of the visible projects, or of {@code project} only; any argument may be null. */
  public JsonNode list(String project, String status, Integer limit, Long before) {
    return list(project, status, null, null, limit, before);
  }

  /**
   * As {@link #list(String, String, Integer, Long)}, also by exact {@code model} name and {@code
   * q}: a job id, or the start of a trace id (any case).
   */
  public JsonNode list(
      String project, String status, String model, String q, Integer limit, Long before) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("project", project);
    query.put("status", status);
    query.put("model", model);
    query.put("q", q);
    query.put("limit", limit);
    query.put("before", before);
    return jsonAnswer(get("/v1/jobs", query), ApiAction.viewer("list jobs"));
  }

  public JsonNode cancel(long jobId) {
    return jsonAnswer(
        post("/v1/jobs/" + jobId + "/cancel", json.createObjectNode()),
        ApiAction.member("cancel jobs"));
  }

  public JsonNode events(long jobId, Long after, int limit) {
    return jsonAnswer(
        get("/v1/jobs/" + jobId + "/events", pageQuery(after, limit)),
        ApiAction.viewer("read job events"));
  }

  /**
   * {@code GET /v1/jobs/{id}/explain}: why the job ended or what it waits for, with its last {@code
   * events} events and {@code tail} log lines (either null: the API's default).
   */
  public JsonNode explain(long jobId, Integer events, Integer tail) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("events", events);
    query.put("tail", tail);
    return jsonAnswer(get("/v1/jobs/" + jobId + "/explain", query), ApiAction.viewer("read jobs"));
  }

  public JsonNode metrics(long jobId, Long after, int limit) {
    return jsonAnswer(
        get("/v1/jobs/" + jobId + "/metrics", pageQuery(after, limit)),
        ApiAction.viewer("read job metrics"));
  }

  /**
   * Streams a job's trainer log line by line to {@code lines} (until the job ends, when following).
   * The request has no overall timeout when following: a training run may last days.
   */
  public void logs(long jobId, int tail, boolean follow, Consumer<String> lines) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("tail", tail);
    query.put("follow", follow);
    HttpRequest.Builder request =
        get("/v1/jobs/" + jobId + "/logs", query).header("Accept", "text/plain");
    if (!follow) {
      request.timeout(timeout);
    }
    HttpResponse<Stream<String>> response =
        exchange(request.build(), HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> body = response.body()) {
      if (response.statusCode() >= 400) {
        String text = String.join("\n", (Iterable<String>) body::iterator);
        throw problem(
            response.statusCode(),
            parse(text.getBytes(StandardCharsets.UTF_8)),
            ApiAction.viewer("read job logs"));
      }
      body.forEach(lines);
    } catch (UncheckedIOException e) {
      throw new ApiUnreachableException(baseUrl, e.getCause());
    }
  }

  /**
   * Opens {@code GET /v1/jobs/{id}/stream} (Server-Sent Events) and returns its body as it arrives;
   * {@code lastEventId} (null: from the start) resumes after that message. No overall timeout: a
   * stream lasts as long as the job. An error answer throws as every call does.
   */
  public InputStream jobStream(long jobId, String lastEventId) {
    HttpRequest.Builder request =
        get("/v1/jobs/" + jobId + "/stream", Map.of()).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = response.body();
    if (response.statusCode() >= 400) {
      try (body) {
        throw problem(
            response.statusCode(), parse(body.readAllBytes()), ApiAction.viewer("read jobs"));
      } catch (IOException e) {
        throw new ApiUnreachableException(baseUrl, e);
      }
    }
    return body;
  }

  // --- datasets and artifacts -------------------------------------------------------------------

  /**
   * {@code POST /v1/projects/{project}/datasets?dataset_id=…} (member) with the zip as the body;
   * {@code overwrite} replaces a dataset with the same id (else 409).
   */
  public JsonNode uploadDataset(String project, String datasetId, Path zip, boolean overwrite)
      throws IOException {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("dataset_id", datasetId);
    if (overwrite) {
      query.put("overwrite", true);
    }
    HttpRequest.Builder request =
        request("/v1/projects/" + segment(project) + "/datasets", query)
            .header("Content-Type", "application/zip")
            .POST(HttpRequest.BodyPublishers.ofFile(zip));
    return jsonAnswer(
        request, TRANSFER_TIMEOUT, ApiAction.member("upload datasets to project " + project));
  }

  /** {@code GET /v1/projects/{project}/datasets/{id}} (viewer): where it is and its size. */
  public JsonNode dataset(String project, String datasetId) {
    return jsonAnswer(
        get("/v1/projects/" + segment(project) + "/datasets/" + segment(datasetId), Map.of()),
        ApiAction.viewer("read the datasets of project " + project));
  }

  /** {@code GET /v1/projects/{project}/datasets} (viewer). */
  public JsonNode datasets(String project) {
    return jsonAnswer(
        get("/v1/projects/" + segment(project) + "/datasets", Map.of()),
        ApiAction.viewer("list the datasets of project " + project));
  }

  /** {@code GET /v1/jobs/{id}/artifacts} (viewer): the job's checkpoints in storage. */
  public JsonNode artifacts(long jobId) {
    return jsonAnswer(
        get("/v1/jobs/" + jobId + "/artifacts", Map.of()),
        TRANSFER_TIMEOUT,
        ApiAction.viewer("read job artifacts"));
  }

  /**
   * Downloads one artifact into {@code directory} through a temporary file, so an interrupted
   * transfer leaves no partial file. Returns the file written.
   */
  public Path downloadArtifact(long jobId, String name, Path directory) throws IOException {
    HttpRequest request =
        get("/v1/jobs/" + jobId + "/artifacts/" + segment(name), Map.of())
            .timeout(TRANSFER_TIMEOUT)
            .build();
    HttpResponse<InputStream> response =
        exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() >= 400) {
        throw problem(
            response.statusCode(),
            parse(body.readAllBytes()),
            ApiAction.viewer("download job artifacts"));
      }
      Files.createDirectories(directory);
      Path target = directory.resolve(Path.of(name).getFileName().toString());
      Path partial = directory.resolve(target.getFileName() + ".part");
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // --- raw -----------------------------------------------------------------------------------

  /**
   * Any request as given, answered as it came, whatever its status: for tests that probe how the
   * API refuses what the calls above never send (a malformed body, a hostile header, a callback).
   * {@code body} may be null (no body); {@code headers} are name, value pairs and replace what the
   * client would send (an {@code Authorization} pair replaces this client's key). Only a missing
   * answer throws ({@link ApiUnreachableException}).
   */
  public ApiReply send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        authorized(HttpRequest.newBuilder(URI.create(baseUrl + path)))
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

  @Override
  public String toString() {
    return "ApiClient[" + baseUrl + (apiKey == null ? ", no key" : ", with a key") + "]";
  }

  // --- plumbing --------------------------------------------------------------------------------

  private static Map<String, Object> pageQuery(Long after, int limit) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("after", after);
    query.put("limit", limit);
    return query;
  }

  private HttpRequest.Builder get(String path, Map<String, Object> query) {
    return request(path, query).GET();
  }

  private HttpRequest.Builder request(String path, Map<String, Object> query) {
    StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            params.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
          }
        });
    return authorized(HttpRequest.newBuilder(URI.create(baseUrl + path + params)));
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    try {
      return request(path, Map.of())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request;
  }

  /**
   * One path segment, percent-encoded: a project, dataset or key id typed by a user can never add a
   * segment or a query to the path ({@code ../}, {@code ?}, {@code #}).
   */
  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode jsonAnswer(HttpRequest.Builder request, ApiAction action) {
    return jsonAnswer(request, timeout, action);
  }

  private JsonNode jsonAnswer(HttpRequest.Builder request, Duration limit, ApiAction action) {
    HttpResponse<byte[]> response =
        exchange(
            request.timeout(limit).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), body, action);
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

  private ApiException problem(int status, JsonNode body, ApiAction action) {
    Map<String, String> fieldErrors = new LinkedHashMap<>();
    body.path("errors")
        .properties()
        .forEach(e -> fieldErrors.put(e.getKey(), e.getValue().asText()));
    String title = body.path("title").asText("HTTP " + status);
    String detail = body.hasNonNull("detail") ? body.get("detail").asText() : null;
    if (status == 401) {
      return new ApiKeyRefusedException(status, title, detail, fieldErrors, keyOrigin);
    }
    if (status == 403 && apiKey != null) {
      JsonNode me = whoamiOrNull();
      // A 403 is a role too low only when the key's role explains it; the API also answers 403
      // for other reasons (a log path it will not serve), and those keep the API's own words.
      if (me != null && Roles.below(me, action.needs())) {
        return new AccessDeniedException(
            status,
            title,
            detail,
            fieldErrors,
            action,
            me.path("role").asText(null),
            me.hasNonNull("project") ? me.get("project").asText() : null);
      }
    }
    return new ApiException(status, title, detail, fieldErrors);
  }

  /** Who this key is, for a refusal's message; null when even that fails. */
  private JsonNode whoamiOrNull() {
    try {
      return whoami();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
