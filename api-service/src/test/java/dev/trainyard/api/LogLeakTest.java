package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.RecordingWorkflow;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.store.access.ApiKeyFormat;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.Role;
import dev.trainyard.workflows.TaskQueues;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Keys and tokens are written at no log level (issue 13): the API runs with the root logger, Jetty
 * and Trainyard at DEBUG, its application log and request log written to files under target/,
 * through a scenario that uses every kind of credential, accepted and refused: a project and keys
 * made through the API, a job submitted, heartbeats and an event with its callback token, the key
 * revoked and polled until refused, then unknown, revoked, expired, flipped and malformed keys,
 * tokens of another job, expired, unsigned and foreign-signed, a key on a callback route, a token
 * on a user route, a key with a control character and one in an over-long header. Then both files
 * are searched for every key and token (the whole string, its secret part, and a key's stored
 * hash): none may appear.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class LogLeakTest {
  private static final TestStack STACK = TestStack.get();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final Path DIR = Path.of("target", "log-leak");
  private static final Path APP_LOG = DIR.resolve("api-" + RUN + ".log");
  private static final Path REQUEST_LOG = DIR.resolve("requests-" + RUN + ".log");

  private static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("log-leak-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config(
              "logging.appenders[0].currentLogFilename", APP_LOG.toAbsolutePath().toString()),
          ConfigOverride.config(
              "server.requestLog.appenders[0].currentLogFilename",
              REQUEST_LOG.toAbsolutePath().toString()));

  /** Every credential the scenario sent or received, by a name for the failure message. */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  private Http as(String key) {
    return new Http(APP.getLocalPort(), key);
  }

  private String key(String name, String key) {
    secrets.put("key " + name, key);
    secrets.put("secret of key " + name, key.substring("ty_".length() + 13));
    secrets.put("hash of key " + name, HexFormat.of().formatHex(ApiKeyFormat.hash(key)));
    secrets.put(
        "base64 hash of key " + name, Base64.getEncoder().encodeToString(ApiKeyFormat.hash(key)));
    return key;
  }

  private String token(String name, String token) {
    secrets.put("token " + name, token);
    String signature = token.substring(token.lastIndexOf('.') + 1);
    if (!signature.isEmpty()) { // an unsigned token has none
      secrets.put("signature of token " + name, signature);
    }
    return token;
  }

  @Test
  void noKeyOrTokenIsWrittenToAnyLogAtDebug() throws IOException {
    String admin =
        key(
            "global admin",
            ApiKeys.issue(STACK.jdbi, "leak admin", null, Role.ADMIN, null, "test").key());
    String project = "leak-" + RUN;
    assertThat(as(admin).post("/v1/projects", Http.json(Map.of("name", project))).status())
        .isEqualTo(201);

    // keys made through the API: their only appearance is in these replies
    Http.Reply made =
        as(admin)
            .post(
                "/v1/projects/" + project + "/keys",
                Http.json(Map.of("name", "leak project admin", "role", "admin")));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    String projectAdmin = key("project admin", made.json().get("key").asText());
    Http.Reply memberMade =
        as(projectAdmin)
            .post(
                "/v1/projects/" + project + "/keys",
                Http.json(
                    Map.of("name", "leak member", "role", "member", "expires_in_seconds", 600)));
    assertThat(memberMade.status()).as(memberMade.toString()).isEqualTo(201);
    String member = key("member", memberMade.json().get("key").asText());
    String memberId = memberMade.json().get("key_id").asText();

    // a job, and its callbacks with their token
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("framework", "ultralytics");
    job.put("model_name", "yolov8n.pt");
    job.put("dataset_id", "coco128");
    job.put("epochs", 3);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    job.put("project_id", project);
    Http.Reply submitted = as(member).post("/v1/jobs", Http.json(job));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long jobId = submitted.json().get("job_id").asLong();
    String traceId = submitted.json().get("trace_id").asText();
    await().until(() -> RecordingWorkflow.STARTED.containsKey(TaskQueues.workflowId(jobId)));
    Http.Reply other = as(member).post("/v1/jobs", Http.json(job));
    long otherJob = other.json().get("job_id").asLong();

    String callback = token("of the job", Tokens.valid(jobId));
    Http callbacks = Http.anonymous(APP.getLocalPort());
    for (int epoch = 1; epoch <= 3; epoch++) {
      Http.Reply beat =
          callbacks.post(
              "/v1/jobs/" + jobId + "/heartbeat",
              Http.json(
                  Map.of(
                      "trace_id", traceId, "epoch", epoch, "metrics", Map.of("loss", 1.0 / epoch))),
              "Authorization",
              "Bearer " + callback);
      assertThat(beat.status()).as(beat.toString()).isEqualTo(200);
    }
    Http.Reply event =
        callbacks.post(
            "/v1/jobs/" + jobId + "/event",
            Http.json(
                Map.of("trace_id", traceId, "level", "info", "event_type", "leak", "message", "m")),
            "Authorization",
            "Bearer " + callback);
    assertThat(event.status()).as(event.toString()).isLessThan(300);

    // reads with every key
    for (String k : List.of(admin, projectAdmin, member)) {
      assertThat(as(k).get("/v1/jobs/" + jobId).status()).isEqualTo(200);
      assertThat(as(k).get("/v1/jobs?project=" + project).status()).isEqualTo(200);
      assertThat(as(k).get("/v1/whoami").status()).isEqualTo(200);
    }
    assertThat(as(projectAdmin).get("/v1/projects/" + project + "/keys").status()).isEqualTo(200);
    assertThat(as(projectAdmin).get("/v1/audit").status()).isEqualTo(200);

    // refused tokens, on the callback routes
    List<String> refusedTokens =
        List.of(
            token("of another job", Tokens.valid(otherJob)),
            token(
                "expired",
                Tokens.signed(
                    jobId, "training-callback", Duration.ofSeconds(-30), TestStack.JWT_SECRET)),
            token("unsigned", Tokens.unsigned(jobId)),
            token(
                "foreign",
                Tokens.signed(
                    jobId,
                    "training-callback",
                    Duration.ofHours(1),
                    "another-secret-that-is-long-enough-for-hs256")),
            token(
                "wrong scope",
                Tokens.signed(jobId, "admin", Duration.ofHours(1), TestStack.JWT_SECRET)));
    for (String t : refusedTokens) {
      Http.Reply refused =
          callbacks.post(
              "/v1/jobs/" + jobId + "/heartbeat",
              Http.json(Map.of("trace_id", traceId, "epoch", 4)),
              "Authorization",
              "Bearer " + t);
      assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
    }

    // the member key revoked, and polled until it is refused
    assertThat(as(projectAdmin).delete("/v1/keys/" + memberId).status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(6))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> as(member).get("/v1/whoami").status() == 401);

    // refused keys, on user routes
    String expired =
        key(
            "expired",
            ApiKeys.issue(
                    STACK.jdbi,
                    "leak expired",
                    project,
                    Role.ADMIN,
                    Instant.now().minusSeconds(60),
                    "test")
                .key());
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    String unknown =
        key(
            "unknown",
            "ty_abcdefghijkl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    char last = admin.charAt(admin.length() - 1);
    String flipped =
        key("flipped", admin.substring(0, admin.length() - 1) + (last == 'A' ? 'B' : 'A'));
    for (String k : List.of(member, expired, unknown, flipped)) {
      assertThat(as(k).get("/v1/jobs/" + jobId).status()).isEqualTo(401);
      assertThat(as(k).post("/v1/jobs/" + jobId + "/cancel", "").status()).isEqualTo(401);
      assertThat(as(k).post("/v1/projects", Http.json(Map.of("name", "never"))).status())
          .isEqualTo(401);
    }
    // credentials on the wrong kind of route
    assertThat(
            callbacks
                .post(
                    "/v1/jobs/" + jobId + "/heartbeat",
                    Http.json(Map.of("trace_id", traceId, "epoch", 5)),
                    "Authorization",
                    "Bearer " + admin)
                .status())
        .isEqualTo(401);
    assertThat(as(callback).get("/v1/jobs/" + jobId).status()).isEqualTo(401);
    // shapes Jetty refuses itself, where its own error paths might quote the header
    RawHttp raw = new RawHttp(APP.getLocalPort());
    assertThat(
            raw.send(
                    "GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + admin.substring(0, 30)
                        + "\u0001"
                        + admin.substring(30)
                        + "\r\n",
                    new byte[0])
                .status())
        .isEqualTo(400);
    assertThat(
            raw.send(
                    "GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + admin
                        + "\r\nX-Padding: "
                        + "p".repeat(20_000)
                        + "\r\n",
                    new byte[0])
                .status())
        .isEqualTo(431);
    assertThat(
            raw.send(
                    "GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + admin
                        + "\r\nAuthorization: Bearer "
                        + callback
                        + "\r\n",
                    new byte[0])
                .status())
        .isEqualTo(401);

    // a marker after everything: once both files have it, everything before is written
    String marker = "log-leak-marker-" + RUN;
    assertThat(as(admin).get("/v1/whoami?" + marker).status()).isEqualTo(200);
    LoggerFactory.getLogger(LogLeakTest.class).info(marker);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> read(APP_LOG).contains(marker) && read(REQUEST_LOG).contains(marker));

    String appLog = read(APP_LOG);
    String requestLog = read(REQUEST_LOG);
    // DEBUG really was on, for Trainyard and beyond, and the request log has the requests
    assertThat(appLog)
        .as(APP_LOG.toString())
        .contains("DEBUG", "CallbackTokenAuthenticator: callback token rejected");
    assertThat(
            appLog
                .lines()
                .filter(l -> l.startsWith("DEBUG") && !l.contains("] dev.trainyard."))
                .count())
        .as("DEBUG lines of other loggers in " + APP_LOG)
        .isPositive();
    assertThat(requestLog)
        .contains("/v1/jobs/" + jobId + "/heartbeat")
        .contains("/v1/keys/" + memberId);
    System.out.printf(
        "log leak: %s has %d lines (%d DEBUG), %s %d lines; %d secrets searched%n",
        APP_LOG,
        appLog.lines().count(),
        appLog.lines().filter(l -> l.startsWith("DEBUG")).count(),
        REQUEST_LOG,
        requestLog.lines().count(),
        secrets.size());

    List<String> leaks = new ArrayList<>();
    for (var entry : secrets.entrySet()) {
      for (var log : Map.of(APP_LOG, appLog, REQUEST_LOG, requestLog).entrySet()) {
        String text = log.getValue();
        int at = text.indexOf(entry.getValue());
        if (at >= 0) {
          int start = text.lastIndexOf('\n', at) + 1;
          int end = text.indexOf('\n', at);
          String line = text.substring(start, end < 0 ? text.length() : end);
          leaks.add(
              entry.getKey()
                  + " in "
                  + log.getKey().getFileName()
                  + " ("
                  + count(text, entry.getValue())
                  + " times), first: "
                  + (line.length() > 240 ? line.substring(0, 240) + "..." : line));
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      // a line being written may be cut in a multi-byte character: read it as bytes
      try {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      } catch (IOException again) {
        throw new java.io.UncheckedIOException(again);
      }
    }
  }
}
