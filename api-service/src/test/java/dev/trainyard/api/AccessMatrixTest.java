package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.HostileZips;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.S3Objects;
import dev.trainyard.api.support.StateSnapshot;
import dev.trainyard.api.support.TestS3;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.store.access.ApiKeyDao;
import dev.trainyard.store.access.ApiKeyFormat;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.IssuedKey;
import dev.trainyard.store.access.Role;
import dev.trainyard.workflows.TaskQueues;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every user route × every kind of credential (issue 13, "Enforcement"), on the API with real
 * PostgreSQL, Temporal and S3: a missing, malformed, unknown, revoked or expired key and a callback
 * JWT are 401 with one and the same body; a role too low is 403; what lies in a project the key
 * cannot see is 404 with the body a truly missing id gets; otherwise the route answers. Every
 * refusal is checked to have changed nothing: every row of the job, key, project and audit tables,
 * every workflow and signal, every object in storage.
 *
 * <p>The objects the routes act on belong to proj-1. A request that changes state gets a target of
 * its own (a fresh job to cancel, a fresh key to revoke, a fresh project name), so that a refusal
 * that was wrongly obeyed would show as a change, never as a repeat of something already done.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixTest extends ApiTest {
  private static final TestS3 S3 = TestS3.get();
  private static final S3Objects OBJECTS = new S3Objects(S3);
  private static final String PROJECT = "proj-1";
  private static final String OTHER_PROJECT = "proj-2";
  private static final String MISSING_PROJECT = "no-such-project";
  private static final long MISSING_JOB = 999_999_999_999L;
  private static final String DATASET = "matrix-ds";
  private static final String ARTIFACT = "best.pt";
  private static final byte[] ARTIFACT_BYTES =
      "checkpoint bytes of the matrix job".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** The API with storage, so the dataset and artifact routes answer (not 503). */
  private static final DropwizardAppExtension<TrainyardApiConfiguration> ACL =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "acl.",
          ConfigOverride.config("acl.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("acl.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("acl.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("acl.", "storage.endpoint", S3.endpoint),
          ConfigOverride.config("acl.", "storage.bucket", TestS3.BUCKET),
          ConfigOverride.config("acl.", "storage.accessKey", TestS3.ACCESS_KEY),
          ConfigOverride.config("acl.", "storage.secretKey", TestS3.SECRET_KEY));

  /** What a route requires of the key. */
  enum Need {
    VIEWER(1),
    MEMBER(2),
    ADMIN(3),
    GLOBAL_ADMIN(4);

    final int level;

    Need(int level) {
      this.level = level;
    }
  }

  /** A credential; level 0: not a usable API key at all. */
  enum Cred {
    NO_KEY("no key", 0, null),
    MALFORMED("malformed key", 0, null),
    UNKNOWN("unknown ty_ key", 0, null),
    REVOKED("revoked key", 0, null),
    EXPIRED("expired key", 0, null),
    CALLBACK_JWT("callback JWT of the job", 0, null),
    VIEWER("viewer of proj-1", 1, PROJECT),
    MEMBER("member of proj-1", 2, PROJECT),
    ADMIN("admin of proj-1", 3, PROJECT),
    OTHER_MEMBER("member of proj-2", 2, OTHER_PROJECT),
    OTHER_ADMIN("admin of proj-2", 3, OTHER_PROJECT),
    GLOBAL("global admin", 4, null);

    final String label;
    final int level;
    final String project;

    Cred(String label, int level, String project) {
      this.label = label;
      this.level = level;
      this.project = project;
    }

    boolean isKey() {
      return level > 0;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  enum Route {
    LIST_JOBS("GET /v1/jobs", Need.VIEWER, false, 200),
    SUBMIT("POST /v1/jobs", Need.MEMBER, true, 201),
    GET_JOB("GET /v1/jobs/{id}", Need.VIEWER, true, 200),
    CANCEL("POST /v1/jobs/{id}/cancel", Need.MEMBER, true, 202),
    EVENTS("GET /v1/jobs/{id}/events", Need.VIEWER, true, 200),
    METRICS("GET /v1/jobs/{id}/metrics", Need.VIEWER, true, 200),
    LOGS("GET /v1/jobs/{id}/logs", Need.VIEWER, true, 200),
    EXPLAIN("GET /v1/jobs/{id}/explain", Need.VIEWER, true, 200),
    ARTIFACTS("GET /v1/jobs/{id}/artifacts", Need.VIEWER, true, 200),
    ARTIFACT_DOWNLOAD("GET /v1/jobs/{id}/artifacts/{name}", Need.VIEWER, true, 200),
    CREATE_PROJECT("POST /v1/projects", Need.GLOBAL_ADMIN, false, 201),
    LIST_PROJECTS("GET /v1/projects", Need.VIEWER, false, 200),
    CREATE_KEY("POST /v1/projects/{p}/keys", Need.ADMIN, true, 201),
    LIST_KEYS("GET /v1/projects/{p}/keys", Need.ADMIN, true, 200),
    REVOKE_KEY("DELETE /v1/keys/{key_id}", Need.ADMIN, true, 200),
    WHOAMI("GET /v1/whoami", Need.VIEWER, false, 200),
    AUDIT("GET /v1/audit", Need.ADMIN, false, 200),
    AUDIT_OF_PROJECT("GET /v1/audit?project={p}", Need.ADMIN, true, 200),
    UPLOAD_DATASET("POST /v1/projects/{p}/datasets?overwrite=true", Need.MEMBER, true, 201),
    GET_DATASET("GET /v1/projects/{p}/datasets/{id}", Need.VIEWER, true, 200),
    LIST_DATASETS("GET /v1/projects/{p}/datasets", Need.VIEWER, true, 200);

    final String label;
    final Need needs;

    /** Whether the route is about an object of proj-1 (another project's key gets 404). */
    final boolean scoped;

    final int success;

    Route(String label, Need needs, boolean scoped, int success) {
      this.label = label;
      this.needs = needs;
      this.scoped = scoped;
      this.success = success;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** The answer the issue asks for. */
  static int expected(Route route, Cred cred) {
    if (!cred.isKey()) {
      return 401;
    }
    if (route.needs == Need.GLOBAL_ADMIN) {
      return cred == Cred.GLOBAL ? route.success : 403;
    }
    if (cred.level < route.needs.level) {
      return 403;
    }
    if (route.scoped && cred.project != null && !cred.project.equals(PROJECT)) {
      return 404;
    }
    return route.success;
  }

  /** One request: the path and body, built for a case's own targets. */
  record Request(String method, String path, String contentType, byte[] body) {
    static Request get(String path) {
      return new Request("GET", path, null, null);
    }

    static Request json(String path, Object body) {
      return new Request(
          "POST", path, "application/json", Http.json(body).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A case's own targets: set up before the state is captured. */
  record Targets(long job, String keyId, String projectName, byte[] zip) {}

  /** A reply the API gave, kept for the sweep for key material. */
  record Seen(String what, String body, String createdKey) {}

  private static final Map<Cred, String> KEYS = new EnumMap<>(Cred.class);
  private static final Map<Cred, String> KEY_IDS = new EnumMap<>(Cred.class);
  private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

  /** Every key that existed in this test, and every one the API made: none may leak. */
  private static final Set<String> SECRETS = new LinkedHashSet<>();

  private static long job;
  private static long otherJob;

  @BeforeAll
  static void world() {
    SEEN.clear();
    issue(Cred.VIEWER, PROJECT, Role.VIEWER, null);
    issue(Cred.MEMBER, PROJECT, Role.MEMBER, null);
    issue(Cred.ADMIN, PROJECT, Role.ADMIN, null);
    issue(Cred.OTHER_MEMBER, OTHER_PROJECT, Role.MEMBER, null);
    issue(Cred.OTHER_ADMIN, OTHER_PROJECT, Role.ADMIN, null);
    issue(Cred.REVOKED, PROJECT, Role.ADMIN, null);
    STACK.jdbi.useExtension(ApiKeyDao.class, k -> k.revoke(KEY_IDS.get(Cred.REVOKED), "test"));
    issue(Cred.EXPIRED, PROJECT, Role.ADMIN, Instant.now().minus(Duration.ofHours(1)));
    KEYS.put(Cred.GLOBAL, STACK.adminKey);
    KEY_IDS.put(Cred.GLOBAL, ApiKeyFormat.keyId(STACK.adminKey).orElseThrow());
    KEYS.put(Cred.UNKNOWN, unissuedKey());
    KEYS.put(Cred.MALFORMED, "ty_not-a-key");
    SECRETS.addAll(KEYS.values());
    SECRETS.remove("ty_not-a-key");

    job = submit(PROJECT);
    otherJob = submit(OTHER_PROJECT);
    KEYS.put(Cred.CALLBACK_JWT, Tokens.valid(job));
    // something to read on the history routes, written as the callbacks would
    STACK.jdbi.useHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO job_events (job_id, trace_id, level, event_type, message)"
                      + " SELECT id, trace_id, 'info', 'matrix', 'an event' FROM training_jobs"
                      + " WHERE id = :id")
              .bind("id", job)
              .execute();
          h.createUpdate(
                  "INSERT INTO training_metrics (job_id, epoch, metrics)"
                      + " VALUES (:id, 1, '{\"loss\": 0.5}')")
              .bind("id", job)
              .execute();
        });
    OBJECTS.put("checkpoints/job-" + job + "/" + ARTIFACT, ARTIFACT_BYTES);
    Http.Reply upload =
        send(
            new Request(
                "POST",
                "/v1/projects/" + PROJECT + "/datasets?dataset_id=" + DATASET + "&overwrite=true",
                "application/zip",
                HostileZips.datasetWith(Map.of())),
            "Bearer " + STACK.adminKey);
    assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
  }

  private static void issue(Cred cred, String project, Role role, Instant expiresAt) {
    IssuedKey key =
        ApiKeys.issue(STACK.jdbi, "matrix " + cred.name(), project, role, expiresAt, "test");
    KEYS.put(cred, key.key());
    KEY_IDS.put(cred, key.keyId());
  }

  /** A key of the right shape that was never issued. */
  static String unissuedKey() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = "ty_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    assertThat(ApiKeyFormat.keyId(key)).contains(id.toString());
    return key;
  }

  /** Submits a job with the global admin key and waits until its workflow runs. */
  private static long submit(String project) {
    Map<String, Object> body = validJob();
    body.put("project_id", project);
    Http.Reply reply = send(Request.json("/v1/jobs", body), "Bearer " + STACK.adminKey);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    long id = reply.json().get("job_id").asLong();
    awaitStarted(id);
    return id;
  }

  /** Sends on the storage-configured API; {@code authorization} null sends none. */
  static Http.Reply send(Request request, String authorization) {
    return send(ACL.getLocalPort(), request, authorization);
  }

  static Http.Reply send(int port, Request request, String authorization) {
    Http http = Http.anonymous(port);
    String[] headers =
        authorization == null ? new String[0] : new String[] {"Authorization", authorization};
    return switch (request.method()) {
      case "GET" -> http.get(request.path(), headers);
      case "DELETE" -> http.delete(request.path(), headers);
      case "POST" -> {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = request.contentType();
        System.arraycopy(headers, 0, all, 2, headers.length);
        yield request.contentType().equals("application/json")
            ? http.post(request.path(), new String(request.body(), StandardCharsets.UTF_8), all)
            : http.postChunked(request.path(), request.body(), all);
      }
      default -> throw new IllegalArgumentException(request.method());
    };
  }

  static String authorization(Cred cred) {
    return switch (cred) {
      case NO_KEY -> null;
      default -> "Bearer " + KEYS.get(cred);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The matrix

  static Stream<Arguments> matrix() {
    return Stream.of(Route.values())
        .flatMap(route -> Stream.of(Cred.values()).map(cred -> Arguments.of(route, cred)));
  }

  @Order(1)
  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("matrix")
  void everyRouteAnswersEveryCredentialAsTheIssueSays(Route route, Cred cred) {
    int expected = expected(route, cred);
    Targets targets = prepare(route);
    Request request = request(route, targets, PROJECT);
    String usedKey = cred.isKey() ? KEY_IDS.get(cred) : null;
    String[] workflows = {TaskQueues.workflowId(targets.job())};
    StateSnapshot before = StateSnapshot.capture(STACK.jdbi, OBJECTS, usedKey, workflows);
    byte[] datasetBefore = OBJECTS.get(datasetKey());

    Http.Reply reply = send(request, authorization(cred));
    SEEN.add(
        new Seen(
            route + " with " + cred,
            reply.body(),
            route == Route.CREATE_KEY && reply.status() == 201
                ? reply.json().get("key").asText()
                : null));

    assertThat(reply.status()).as(route + " with " + cred + ": " + reply).isEqualTo(expected);
    if (expected >= 400) {
      JsonNode problem = assertProblem(reply, expected);
      switch (expected) {
        case 401 -> {
          // one answer for every unusable credential: nothing tells them apart
          Http.Reply anonymous = send(request(route, targets, PROJECT), null);
          assertThat(reply.body()).isEqualTo(anonymous.body());
          assertThat(problem.get("detail").asText()).contains("needs a valid API key");
        }
        case 403 ->
            assertThat(problem.get("detail").asText())
                .contains("key " + KEY_IDS.get(cred))
                .contains("may not do this");
        case 404 -> {
          // exactly what a missing object of the same kind gets, with its id in place
          Missing missing = missingTwin(route, targets);
          Http.Reply twin = send(missing.request(), authorization(cred));
          assertThat(twin.status()).as("the missing twin: " + twin).isEqualTo(404);
          assertThat(reply.body()).isEqualTo(twin.body().replace(missing.id(), missing.realId()));
          assertThat(reply.contentType()).isEqualTo(twin.contentType());
        }
        default -> throw new AssertionError(expected);
      }
      StateSnapshot after = StateSnapshot.capture(STACK.jdbi, OBJECTS, usedKey, workflows);
      assertThat(after.changesSince(before))
          .as("a refused " + route + " with " + cred + " changed something")
          .isEmpty();
      assertThat(OBJECTS.get(datasetKey())).isEqualTo(datasetBefore);
    } else {
      checkServed(route, cred, targets, reply);
    }
  }

  private static String datasetKey() {
    return "datasets/" + PROJECT + "/" + DATASET + ".zip";
  }

  /** Fresh targets for the routes that change something; the shared ones otherwise. */
  private static Targets prepare(Route route) {
    int n = SEQUENCE.incrementAndGet();
    return switch (route) {
      case CANCEL -> new Targets(submit(PROJECT), null, null, null);
      case REVOKE_KEY ->
          new Targets(
              job,
              ApiKeys.issue(STACK.jdbi, "revoke target " + n, PROJECT, Role.VIEWER, null, "test")
                  .keyId(),
              null,
              null);
      case CREATE_PROJECT -> new Targets(job, null, "matrix-" + n + "-" + System.nanoTime(), null);
      case UPLOAD_DATASET ->
          new Targets(
              job,
              null,
              null,
              HostileZips.datasetWith(
                  Map.of("images/train/case-" + n + ".jpg", HostileZips.bytes("case " + n))));
      default -> new Targets(job, null, null, null);
    };
  }

  private static Request request(Route route, Targets t, String project) {
    String jobPath = "/v1/jobs/" + t.job();
    return switch (route) {
      case LIST_JOBS -> Request.get("/v1/jobs?limit=500");
      case SUBMIT -> {
        Map<String, Object> body = validJob();
        body.put("project_id", project);
        yield Request.json("/v1/jobs", body);
      }
      case GET_JOB -> Request.get(jobPath);
      case CANCEL -> new Request("POST", jobPath + "/cancel", "application/json", new byte[0]);
      case EVENTS -> Request.get(jobPath + "/events");
      case METRICS -> Request.get(jobPath + "/metrics");
      case LOGS -> Request.get(jobPath + "/logs");
      case EXPLAIN -> Request.get(jobPath + "/explain");
      case ARTIFACTS -> Request.get(jobPath + "/artifacts");
      case ARTIFACT_DOWNLOAD -> Request.get(jobPath + "/artifacts/" + ARTIFACT);
      case CREATE_PROJECT -> Request.json("/v1/projects", Map.of("name", t.projectName()));
      case LIST_PROJECTS -> Request.get("/v1/projects");
      case CREATE_KEY ->
          Request.json(
              "/v1/projects/" + project + "/keys",
              Map.of("name", "made in the matrix", "role", "viewer", "expires_in_seconds", 3600));
      case LIST_KEYS -> Request.get("/v1/projects/" + project + "/keys");
      case REVOKE_KEY -> new Request("DELETE", "/v1/keys/" + t.keyId(), null, null);
      case WHOAMI -> Request.get("/v1/whoami");
      case AUDIT -> Request.get("/v1/audit?limit=500");
      case AUDIT_OF_PROJECT -> Request.get("/v1/audit?limit=500&project=" + project);
      case UPLOAD_DATASET ->
          new Request(
              "POST",
              "/v1/projects/" + project + "/datasets?dataset_id=" + DATASET + "&overwrite=true",
              "application/zip",
              t.zip());
      case GET_DATASET -> Request.get("/v1/projects/" + project + "/datasets/" + DATASET);
      case LIST_DATASETS -> Request.get("/v1/projects/" + project + "/datasets");
    };
  }

  /** The same request for something that does not exist; {@code id} stands for {@code realId}. */
  record Missing(Request request, String id, String realId) {}

  private static Missing missingTwin(Route route, Targets t) {
    return switch (route) {
      case GET_JOB, CANCEL, EVENTS, METRICS, LOGS, EXPLAIN, ARTIFACTS, ARTIFACT_DOWNLOAD -> {
        Targets missing = new Targets(MISSING_JOB, t.keyId(), t.projectName(), t.zip());
        yield new Missing(
            request(route, missing, PROJECT), Long.toString(MISSING_JOB), Long.toString(t.job()));
      }
      case REVOKE_KEY -> {
        String unissued = ApiKeyFormat.keyId(unissuedKey()).orElseThrow();
        yield new Missing(
            new Request("DELETE", "/v1/keys/" + unissued, null, null), unissued, t.keyId());
      }
      case SUBMIT,
          CREATE_KEY,
          LIST_KEYS,
          AUDIT_OF_PROJECT,
          UPLOAD_DATASET,
          GET_DATASET,
          LIST_DATASETS ->
          new Missing(request(route, t, MISSING_PROJECT), MISSING_PROJECT, PROJECT);
      default -> throw new AssertionError(route + " is not about one project's object");
    };
  }

  /** A 2xx: the reply is what the route serves, for this key, and did what it says. */
  private static void checkServed(Route route, Cred cred, Targets t, Http.Reply reply) {
    String keyId = KEY_IDS.get(cred);
    switch (route) {
      case LIST_JOBS -> {
        List<String> projects = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        reply
            .json()
            .get("jobs")
            .forEach(
                j -> {
                  projects.add(j.get("project_id").asText());
                  ids.add(j.get("job_id").asLong());
                });
        if (cred.project == null) {
          assertThat(ids).contains(job, otherJob);
        } else {
          assertThat(projects).isNotEmpty().containsOnly(cred.project);
          assertThat(ids).contains(cred.project.equals(PROJECT) ? job : otherJob);
        }
      }
      case SUBMIT -> {
        JsonNode submitted = reply.json();
        long id = submitted.get("job_id").asLong();
        awaitStarted(id);
        JsonNode view = send(Request.get("/v1/jobs/" + id), authorization(cred)).json();
        assertThat(view.get("project_id").asText()).isEqualTo(PROJECT);
        assertThat(view.get("submitted_by").asText()).isEqualTo(keyId);
      }
      case GET_JOB -> {
        JsonNode view = reply.json();
        assertThat(view.get("job_id").asLong()).isEqualTo(job);
        assertThat(view.get("submitted_by").asText()).isEqualTo(KEY_IDS.get(Cred.GLOBAL));
      }
      case CANCEL -> {
        assertThat(reply.json().get("cancel_requested_at").isTextual()).isTrue();
        awaitSignals(t.job(), 1);
        JsonNode view = send(Request.get("/v1/jobs/" + t.job()), authorization(cred)).json();
        assertThat(view.get("cancel_requested_by").asText()).isEqualTo(keyId);
      }
      case EVENTS ->
          assertThat(reply.json().get("events").findValuesAsText("event_type")).contains("matrix");
      case METRICS -> assertThat(reply.json().get("metrics").size()).isEqualTo(1);
      case LOGS -> assertThat(reply.contentType()).startsWith("text/plain");
      case EXPLAIN -> {
        assertThat(reply.json().get("job_id").asLong()).isEqualTo(job);
        assertThat(reply.json().get("last_events").findValuesAsText("event_type"))
            .contains("matrix");
      }
      case ARTIFACTS ->
          assertThat(reply.json().get("artifacts").findValuesAsText("name")).contains(ARTIFACT);
      case ARTIFACT_DOWNLOAD ->
          assertThat(reply.body().getBytes(StandardCharsets.US_ASCII)).isEqualTo(ARTIFACT_BYTES);
      case CREATE_PROJECT -> {
        assertThat(reply.json().get("name").asText()).isEqualTo(t.projectName());
        assertThat(reply.json().get("created_by").asText()).isEqualTo(keyId);
      }
      case LIST_PROJECTS -> {
        List<String> names = reply.json().get("projects").findValuesAsText("name");
        if (cred.project == null) {
          assertThat(names).contains(PROJECT, OTHER_PROJECT);
        } else {
          assertThat(names).containsExactly(cred.project);
        }
      }
      case CREATE_KEY -> {
        JsonNode key = reply.json();
        String made = key.get("key").asText();
        SECRETS.add(made);
        assertThat(ApiKeyFormat.keyId(made)).contains(key.get("key_id").asText());
        assertThat(key.get("project").asText()).isEqualTo(PROJECT);
        assertThat(key.get("role").asText()).isEqualTo("viewer");
        assertThat(key.get("created_by").asText()).isEqualTo(keyId);
        Http.Reply whoami = send(Request.get("/v1/whoami"), "Bearer " + made);
        assertThat(whoami.json().get("key_id").asText()).isEqualTo(key.get("key_id").asText());
      }
      case LIST_KEYS -> {
        List<String> ids = reply.json().get("keys").findValuesAsText("key_id");
        assertThat(ids).contains(KEY_IDS.get(Cred.VIEWER), KEY_IDS.get(Cred.ADMIN));
        assertThat(ids).doesNotContain(KEY_IDS.get(Cred.OTHER_ADMIN), KEY_IDS.get(Cred.GLOBAL));
      }
      case REVOKE_KEY -> {
        assertThat(reply.json().get("key_id").asText()).isEqualTo(t.keyId());
        assertThat(reply.json().get("revoked_at").isTextual()).isTrue();
        assertThat(reply.json().get("revoked_by").asText()).isEqualTo(keyId);
      }
      case WHOAMI -> {
        JsonNode me = reply.json();
        assertThat(me.get("key_id").asText()).isEqualTo(keyId);
        assertThat(me.get("project").isNull() ? null : me.get("project").asText())
            .isEqualTo(cred.project);
      }
      case AUDIT, AUDIT_OF_PROJECT -> {
        List<String> projects = new ArrayList<>();
        reply.json().get("entries").forEach(e -> projects.add(e.get("project").asText(null)));
        assertThat(projects).isNotEmpty();
        if (cred.project != null || route == Route.AUDIT_OF_PROJECT) {
          assertThat(projects).containsOnly(cred.project == null ? PROJECT : cred.project);
        }
      }
      case UPLOAD_DATASET -> {
        assertThat(reply.json().get("dataset_id").asText()).isEqualTo(DATASET);
        assertThat(OBJECTS.get(datasetKey())).isEqualTo(t.zip());
      }
      case GET_DATASET -> {
        assertThat(reply.json().get("dataset_id").asText()).isEqualTo(DATASET);
        assertThat(reply.json().get("size_bytes").asLong())
            .isEqualTo(OBJECTS.get(datasetKey()).length);
      }
      case LIST_DATASETS ->
          assertThat(reply.json().get("datasets").findValuesAsText("dataset_id")).contains(DATASET);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Beside the matrix

  @Order(2)
  @Test
  void anotherProjectsKeyListsNoneOfThisProjectsJobsWhateverItAsks() {
    for (Cred cred : List.of(Cred.OTHER_MEMBER, Cred.OTHER_ADMIN)) {
      for (String query :
          List.of(
              "",
              "?project=" + PROJECT,
              "?project=" + PROJECT + "&status=pending",
              "?status=pending",
              "?project=",
              "?limit=500")) {
        Http.Reply reply = send(Request.get("/v1/jobs" + query), authorization(cred));
        assertThat(reply.status()).as(query + ": " + reply).isEqualTo(200);
        reply
            .json()
            .get("jobs")
            .forEach(j -> assertThat(j.get("project_id").asText()).isEqualTo(OTHER_PROJECT));
        assertThat(reply.body()).doesNotContain("\"job_id\":" + job + ",");
      }
    }
    // the positive control: the same list for a proj-1 key has the job
    Http.Reply own = send(Request.get("/v1/jobs?limit=500"), authorization(Cred.VIEWER));
    assertThat(own.json().get("jobs").findValuesAsText("project_id")).containsOnly(PROJECT);
    assertThat(own.body()).contains("\"job_id\":" + job + ",");
  }

  static Stream<Arguments> callbackRoutesWithKeys() {
    return Stream.of("heartbeat", "event", "done")
        .flatMap(
            call ->
                Stream.of(Cred.VIEWER, Cred.MEMBER, Cred.ADMIN, Cred.GLOBAL)
                    .map(cred -> Arguments.of(call, cred)));
  }

  @Order(3)
  @ParameterizedTest(name = "POST /v1/jobs/<id>/{0} with the key of a {1}")
  @MethodSource("callbackRoutesWithKeys")
  void aUserKeyOnACallbackRouteIs401AndChangesNothing(String call, Cred cred) {
    String traceId =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery("SELECT trace_id FROM training_jobs WHERE id = :id")
                    .bind("id", job)
                    .mapTo(String.class)
                    .one());
    Object body =
        switch (call) {
          case "heartbeat" -> Map.of("trace_id", traceId, "epoch", 1, "progress", 10);
          case "event" ->
              Map.of("trace_id", traceId, "level", "info", "event_type", "x", "message", "m");
          default -> Map.of("trace_id", traceId, "status", "failed");
        };
    String workflow = TaskQueues.workflowId(job);
    StateSnapshot before = StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(cred), workflow);
    Http.Reply reply =
        send(Request.json("/v1/jobs/" + job + "/" + call, body), authorization(cred));
    assertProblem(reply, 401);
    assertThat(
            StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(cred), workflow)
                .changesSince(before))
        .isEmpty();
    SEEN.add(new Seen(call + " with " + cred, reply.body(), null));
  }

  /** HEAD runs the GET route's checks: 401 without a key, 404 for another project's object. */
  @Order(3)
  @ParameterizedTest(name = "HEAD of {0} with {1}")
  @MethodSource("headCases")
  void headIsGuardedLikeGet(Route route, Cred cred) {
    Request get = request(route, prepare(route), PROJECT);
    Http.Reply head =
        new RawHttp(ACL.getLocalPort())
            .send(
                "HEAD "
                    + get.path()
                    + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (cred == Cred.NO_KEY ? "" : "Authorization: " + authorization(cred) + "\r\n"),
                new byte[0]);
    assertThat(head.status())
        .as(route + " with " + cred + ": " + head)
        .isEqualTo(expected(route, cred));
    assertThat(head.body()).isEmpty();
  }

  static Stream<Arguments> headCases() {
    return Stream.of(Route.values())
        .filter(r -> r.label.startsWith("GET "))
        .flatMap(
            r ->
                Stream.of(
                        Cred.NO_KEY, Cred.CALLBACK_JWT, Cred.VIEWER, Cred.OTHER_ADMIN, Cred.GLOBAL)
                    .map(c -> Arguments.of(r, c)));
  }

  /**
   * What needs no key tells nothing: OPTIONS answers the same for a job and a missing one, and a
   * method-override header does not turn a POST into the DELETE that revokes a key.
   */
  @Order(3)
  @Test
  void optionsAndMethodOverridesRevealAndDoNothing() {
    Http anonymous = Http.anonymous(ACL.getLocalPort());
    RawHttp raw = new RawHttp(ACL.getLocalPort());
    Http.Reply existing =
        raw.send("OPTIONS /v1/jobs/" + job + " HTTP/1.1\r\nHost: x\r\n", new byte[0]);
    Http.Reply missing =
        raw.send("OPTIONS /v1/jobs/" + MISSING_JOB + " HTTP/1.1\r\nHost: x\r\n", new byte[0]);
    assertThat(existing.status()).isEqualTo(missing.status());
    assertThat(existing.body()).isEqualTo(missing.body());
    assertThat(existing.body()).doesNotContain("proj-1");

    String target =
        ApiKeys.issue(STACK.jdbi, "override target", PROJECT, Role.VIEWER, null, "test").keyId();
    StateSnapshot before = StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(Cred.ADMIN));
    for (String override :
        List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
      Http.Reply reply =
          anonymous.post(
              "/v1/keys/" + target,
              "",
              "Authorization",
              authorization(Cred.ADMIN),
              override,
              "DELETE");
      assertThat(reply.status()).as(override + ": " + reply).isEqualTo(405);
    }
    assertThat(
            StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(Cred.ADMIN))
                .changesSince(before))
        .isEmpty();
  }

  /** A project admin manages its project's keys, never a global admin's. */
  @Order(3)
  @Test
  void aProjectAdminCannotSeeOrRevokeAGlobalAdminKey() {
    IssuedKey global = ApiKeys.issue(STACK.jdbi, "another global", null, Role.ADMIN, null, "test");
    SECRETS.add(global.key());
    StateSnapshot before = StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(Cred.ADMIN));
    Http.Reply revoke =
        send(
            new Request("DELETE", "/v1/keys/" + global.keyId(), null, null),
            authorization(Cred.ADMIN));
    String unissued = ApiKeyFormat.keyId(unissuedKey()).orElseThrow();
    Http.Reply twin =
        send(new Request("DELETE", "/v1/keys/" + unissued, null, null), authorization(Cred.ADMIN));
    assertProblem(revoke, 404);
    assertThat(revoke.body()).isEqualTo(twin.body().replace(unissued, global.keyId()));
    assertThat(
            StateSnapshot.capture(STACK.jdbi, OBJECTS, KEY_IDS.get(Cred.ADMIN))
                .changesSince(before))
        .isEmpty();
    assertThat(send(Request.get("/v1/whoami"), "Bearer " + global.key()).status()).isEqualTo(200);
    Http.Reply list =
        send(Request.get("/v1/projects/" + PROJECT + "/keys"), authorization(Cred.ADMIN));
    assertThat(list.json().get("keys").findValuesAsText("key_id"))
        .doesNotContain(global.keyId(), KEY_IDS.get(Cred.GLOBAL));
  }

  /**
   * Revoked on one replica, refused within 5 s on both: the one that revoked it and the other,
   * which had just verified (and remembered) the key and hears of the revocation from nobody.
   */
  @Order(4)
  @Test
  void aRevokedKeyIsRefusedWithinFiveSecondsOnEveryReplica() {
    IssuedKey key = ApiKeys.issue(STACK.jdbi, "soon revoked", PROJECT, Role.MEMBER, null, "test");
    SECRETS.add(key.key());
    int[] replicas = {ACL.getLocalPort(), APP.getLocalPort()};
    for (int port : replicas) {
      assertThat(send(port, Request.get("/v1/whoami"), "Bearer " + key.key()).status())
          .isEqualTo(200);
    }
    Http.Reply revoked =
        send(
            new Request("DELETE", "/v1/keys/" + key.keyId(), null, null),
            "Bearer " + STACK.adminKey);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    long revokedAt = System.nanoTime();
    for (int port : replicas) {
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> send(port, Request.get("/v1/whoami"), "Bearer " + key.key()).status() == 401);
      long elapsedMillis = (System.nanoTime() - revokedAt) / 1_000_000;
      assertThat(elapsedMillis).as("port " + port).isLessThan(5_000);
    }
    // refused on every route, not only the one polled
    Http.Reply submit = send(Request.json("/v1/jobs", validJob()), "Bearer " + key.key());
    assertProblem(submit, 401);
  }

  /** Every state-changing action, audited with the key that did it and shown where it belongs. */
  @Order(5)
  @Test
  void everyStateChangingActionIsAuditedWithTheActorsKeyId() {
    IssuedKey submitter =
        ApiKeys.issue(STACK.jdbi, "submitter", PROJECT, Role.MEMBER, null, "test");
    IssuedKey canceller =
        ApiKeys.issue(STACK.jdbi, "canceller", PROJECT, Role.MEMBER, null, "test");
    IssuedKey admin = ApiKeys.issue(STACK.jdbi, "key admin", PROJECT, Role.ADMIN, null, "test");
    SECRETS.addAll(List.of(submitter.key(), canceller.key(), admin.key()));
    String bySubmitter = "Bearer " + submitter.key();
    String byCanceller = "Bearer " + canceller.key();
    String byAdmin = "Bearer " + admin.key();
    long lastBefore = lastAuditId();

    Http.Reply submitted = send(Request.json("/v1/jobs", validJob()), bySubmitter);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long id = submitted.json().get("job_id").asLong();
    awaitStarted(id);
    Http.Reply cancelled =
        send(
            new Request("POST", "/v1/jobs/" + id + "/cancel", "application/json", new byte[0]),
            byCanceller);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
    awaitSignals(id, 1);
    JsonNode view = send(Request.get("/v1/jobs/" + id), bySubmitter).json();
    assertThat(view.get("submitted_by").asText()).isEqualTo(submitter.keyId());
    assertThat(view.get("cancel_requested_by").asText()).isEqualTo(canceller.keyId());

    String dataset = "audited-" + System.nanoTime();
    String upload = "/v1/projects/" + PROJECT + "/datasets?dataset_id=" + dataset;
    byte[] zip = HostileZips.datasetWith(Map.of());
    assertThat(send(new Request("POST", upload, "application/zip", zip), bySubmitter).status())
        .isEqualTo(201);
    assertThat(
            send(
                    new Request("POST", upload + "&overwrite=true", "application/zip", zip),
                    byCanceller)
                .status())
        .isEqualTo(201);

    String project = "audited-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100000;
    assertThat(
            send(Request.json("/v1/projects", Map.of("name", project)), "Bearer " + STACK.adminKey)
                .status())
        .isEqualTo(201);

    Http.Reply created =
        send(
            Request.json(
                "/v1/projects/" + PROJECT + "/keys", Map.of("name", "ci", "role", "member")),
            byAdmin);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String newKeyId = created.json().get("key_id").asText();
    SECRETS.add(created.json().get("key").asText());
    SEEN.add(
        new Seen(
            "key created in the audit test", created.body(), created.json().get("key").asText()));
    assertThat(send(new Request("DELETE", "/v1/keys/" + newKeyId, null, null), byAdmin).status())
        .isEqualTo(200);

    List<String> expected =
        List.of(
            submitter.keyId() + " job.submit " + PROJECT + " job-" + id,
            canceller.keyId() + " job.cancel " + PROJECT + " job-" + id,
            submitter.keyId() + " dataset.upload " + PROJECT + " " + dataset,
            canceller.keyId() + " dataset.overwrite " + PROJECT + " " + dataset,
            KEY_IDS.get(Cred.GLOBAL) + " project.create " + project + " " + project,
            admin.keyId() + " key.create " + PROJECT + " " + newKeyId,
            admin.keyId() + " key.revoke " + PROJECT + " " + newKeyId);
    List<String> stored =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT actor || ' ' || action || ' ' || coalesce(project, '-') || ' ' ||"
                            + " target FROM audit_log WHERE id > :after ORDER BY id")
                    .bind("after", lastBefore)
                    .mapTo(String.class)
                    .list());
    assertThat(stored).containsExactlyElementsOf(expected);

    // and the audit list shows them: the project admin its project's, the global admin all
    Http.Reply page = send(Request.get("/v1/audit?limit=50"), byAdmin);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    List<String> listed = new ArrayList<>();
    page.json()
        .get("entries")
        .forEach(
            e ->
                listed.add(
                    e.get("actor").asText()
                        + " "
                        + e.get("action").asText()
                        + " "
                        + e.get("project").asText()
                        + " "
                        + e.get("target").asText()));
    List<String> ownProject = expected.stream().filter(e -> !e.contains("project.create")).toList();
    assertThat(listed).containsAll(ownProject).noneMatch(e -> e.contains(project));
    Http.Reply overwrite = send(Request.get("/v1/audit?limit=50"), byAdmin);
    assertThat(overwrite.body()).contains("\"size_bytes\":" + zip.length);
    Http.Reply global =
        send(Request.get("/v1/audit?project=" + project), "Bearer " + STACK.adminKey);
    assertThat(global.json().get("entries").findValuesAsText("action"))
        .containsExactly("project.create");
  }

  private static long lastAuditId() {
    return STACK.jdbi.withHandle(
        h -> h.createQuery("SELECT coalesce(max(id), 0) FROM audit_log").mapTo(Long.class).one());
  }

  /**
   * No reply carries a key, its secret or its hash, except the one that created it (which carries
   * that one key only): every reply of the matrix and of this test, and a fresh read of every route
   * that lists keys or describes a caller.
   */
  @Order(6)
  @Test
  void noReplyCarriesAKeyOrAHashExceptTheOneThatCreatedIt() {
    List<Seen> replies = new ArrayList<>(SEEN);
    for (Cred cred : Cred.values()) {
      for (Request read :
          List.of(
              Request.get("/v1/whoami"),
              Request.get("/v1/projects/" + PROJECT + "/keys"),
              Request.get("/v1/audit?limit=500"),
              Request.get("/v1/jobs/" + job),
              Request.get("/v1/jobs?limit=500"))) {
        replies.add(
            new Seen(read.path() + " with " + cred, send(read, authorization(cred)).body(), null));
      }
    }
    Http.Reply keys =
        send(Request.get("/v1/projects/" + PROJECT + "/keys"), "Bearer " + STACK.adminKey);
    assertThat(keys.json().get("keys").size()).isGreaterThan(5);
    Set<String> allowed =
        Set.of(
            "key_id",
            "name",
            "project",
            "role",
            "created_at",
            "created_by",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_by");
    keys.json()
        .get("keys")
        .forEach(
            k -> {
              List<String> fields = new ArrayList<>();
              k.fieldNames().forEachRemaining(fields::add);
              assertThat(allowed).containsAll(fields);
              assertThat(fields).doesNotContain("key", "secret_hash", "hash");
            });

    Map<String, String> material = new LinkedHashMap<>();
    for (String key : SECRETS) {
      byte[] hash = ApiKeyFormat.hash(key);
      material.put(key, key);
      material.put(key.substring("ty_".length() + 13), key);
      material.put(HexFormat.of().formatHex(hash), key);
      material.put(Base64.getEncoder().encodeToString(hash), key);
      material.put(Base64.getUrlEncoder().withoutPadding().encodeToString(hash), key);
    }
    assertThat(replies.size()).isGreaterThanOrEqualTo(Cred.values().length * 5);
    assertThat(SECRETS).hasSizeGreaterThan(8);
    List<String> leaks = new ArrayList<>();
    for (Seen seen : replies) {
      material.forEach(
          (text, key) -> {
            if (seen.body().contains(text) && !key.equals(seen.createdKey())) {
              leaks.add(seen.what() + " carries material of key " + key.substring(0, 15));
            }
          });
      if (seen.createdKey() != null) {
        assertThat(seen.body()).contains(seen.createdKey());
      }
    }
    assertThat(leaks).isEmpty();
  }
}
