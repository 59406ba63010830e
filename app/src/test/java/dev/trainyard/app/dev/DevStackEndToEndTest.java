package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.CliRunner;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.store.objects.TrainerLogArchive;
import dev.trainyard.workflows.CallbackContract;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole product on one machine: embedded PostgreSQL, the Temporal test server, the real API
 * over HTTP, the real worker and workflow, and the scripted trainer as a child process. Every
 * outcome is read back through the user API, as a user would see it.
 */
class DevStackEndToEndTest {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDirectory;
  static DevStack stack;
  static ApiClient api;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aJobRunsToSuccessWithEveryTransitionEventAndMetric() {
    long jobId = submit(job -> job.put("epochs", 3));

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("failure_reason").isNull()).isTrue();
    assertThat(job.path("current_epoch").asInt()).isEqualTo(3);
    assertThat(job.path("progress").asDouble()).isEqualTo(100.0);
    assertThat(job.path("final_metrics").has("loss")).isTrue();
    assertThat(job.path("artifacts").has("model")).isTrue();
    assertThat(job.hasNonNull("training_time_seconds")).isTrue();
    assertThat(job.hasNonNull("started_at") && job.hasNonNull("completed_at")).isTrue();
    assertThat(job.toString()).doesNotContainIgnoringCase("token");

    List<JsonNode> events = events(jobId);
    assertThat(transitions(events))
        .containsExactly("pending->queued", "queued->running", "running->succeeded");
    assertThat(
            events.stream()
                .filter(e -> "trainer".equals(e.path("source").asText()))
                .map(e -> e.path("event_type").asText()))
        .containsSubsequence(
            "dataset_loaded",
            "model_initialized",
            "training_started",
            "epoch_completed",
            "epoch_completed",
            "epoch_completed",
            "training_completed");
    assertThat(events)
        .allSatisfy(
            e -> assertThat(e.path("trace_id").asText()).isEqualTo(job.path("trace_id").asText()));

    List<JsonNode> metrics = metrics(jobId);
    List<Integer> epochs = metrics.stream().map(m -> m.path("epoch").asInt()).toList();
    assertThat(epochs).containsExactly(1, 2, 3, -1); // -1: the final metrics from the one done
    List<Double> losses =
        metrics.subList(0, 3).stream().map(m -> m.path("metrics").path("loss").asDouble()).toList();
    assertThat(losses).isSortedAccordingTo((a, b) -> Double.compare(b, a)).doesNotHaveDuplicates();
    assertThat(metrics.get(0).path("metrics").has("lr")).isTrue();
  }

  @Test
  void aCancelledJobStopsAfterTheTrainerIsToldOnItsHeartbeat() throws Exception {
    long jobId =
        submit(
            job -> {
              job.put("epochs", 60);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    await().atMost(JOB_TIMEOUT).until(() -> api.job(jobId).path("current_epoch").asInt() >= 1);

    JsonNode reply = api.cancel(jobId);
    assertThat(reply.hasNonNull("cancel_requested_at")).isTrue();
    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("cancelled");
    assertThat(job.path("failure_reason").asText()).isEqualTo("cancelled_by_user");
    assertThat(job.path("current_epoch").asInt()).isLessThan(60);
    List<JsonNode> events = events(jobId);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("event_type").asText()).isEqualTo("training_cancelled");
              assertThat(e.path("data").path("by").asText()).isEqualTo("backend");
            });
    assertThat(transitions(events)).endsWith("running->cancelled");
  }

  @Test
  void anUnknownDatasetFailsTheJobWithTheTrainersMessage() {
    long jobId = submit(job -> job.put("dataset_id", "no-such-dataset"));

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("failure_reason").asText()).isEqualTo("trainer_reported_failure");
    assertThat(job.path("error_message").asText())
        // the trainer's DATASET_ID is <project>/<id>; no folder of the trainer's machine
        .isEqualTo("dataset 'demo/no-such-dataset' not found");
    assertThat(events(jobId))
        .anySatisfy(
            e -> {
              assertThat(e.path("level").asText()).isEqualTo("error");
              assertThat(e.path("event_type").asText()).isEqualTo("dataset_not_found");
            });
  }

  @Test
  void anExpiredCallbackTokenIsRejectedWithoutChangingTheJob() throws Exception {
    long jobId = submit(job -> job.put("epochs", 1));
    JsonNode before = awaitEnd(jobId);
    String body =
        "{\"trace_id\":\""
            + before.path("trace_id").asText()
            + "\",\"epoch\":99,\"progress\":1,\"metrics\":{}}";
    Instant now = Instant.now();

    HttpResponse<String> expired =
        heartbeat(jobId, token(jobId, now.minusSeconds(7200), now.minusSeconds(3600)), body);
    // Same key and claims, still valid: gets past authentication to "the job has ended".
    HttpResponse<String> valid = heartbeat(jobId, token(jobId, now, now.plusSeconds(3600)), body);

    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(valid.statusCode()).isEqualTo(409);
    JsonNode after = api.job(jobId);
    assertThat(after.path("current_epoch").asInt()).isEqualTo(before.path("current_epoch").asInt());
    assertThat(after.path("last_heartbeat_at")).isEqualTo(before.path("last_heartbeat_at"));
  }

  @Test
  void aTrainerThatNeverCallsBackFailsWithStartupTimeout() {
    long jobId =
        submit(
            job -> {
              job.put("startup_timeout_seconds", 3);
              job.putObject("hyperparameters").put("mode", "silent");
            });

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("failure_reason").asText()).isEqualTo("startup_timeout");
  }

  @Test
  void aTrainerThatGoesSilentFailsWithHeartbeatTimeout() {
    long jobId =
        submit(
            job -> {
              job.put("epochs", 100);
              job.put("heartbeat_timeout_seconds", 3);
              job.putObject("hyperparameters")
                  .put("mode", "hang_after")
                  .put("hang_after", 1)
                  .put("seconds_per_epoch", 0.5);
            });

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("failure_reason").asText()).isEqualTo("heartbeat_timeout");
    assertThat(job.path("current_epoch").asInt()).isEqualTo(1);
  }

  @Test
  void aTrainerThatCrashesFailsWithItsExitCode() {
    long jobId = submit(job -> job.putObject("hyperparameters").put("mode", "crash"));

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("failure_reason").asText()).isEqualTo("trainer_exited");
    assertThat(job.path("error_message").asText()).containsPattern("\\b3\\b");
  }

  @Test
  void aFrameworkNoTrainerServesIsRefusedAtSubmitInsteadOfRunByTheScriptedTrainer()
      throws Exception {
    ObjectNode job = JSON.createObjectNode();
    job.put("framework", "yolov8-typo");
    job.put("model_name", "e2e-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", 1);
    job.put("batch_size", 8);
    job.put("learning_rate", 0.01);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/jobs"))
            .header("Authorization", "Bearer " + stack.adminKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(job.toString()))
            .build();

    HttpResponse<String> reply =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
    assertThat(reply.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(JSON.readTree(reply.body()).path("errors").path("framework").asText())
        .endsWith("known frameworks: [\"scripted\",\"ultralytics\"]");
  }

  /** The dev stack serves local trainer logs: once a job ran, its output, and in its stream. */
  @Test
  void aFinishedJobsTrainerLogIsServedAndStreamed() throws Exception {
    long jobId = submit(job -> job.put("epochs", 1));
    assertThat(awaitEnd(jobId).path("status").asText()).isEqualTo("succeeded");

    List<String> lines = new ArrayList<>();
    api.logs(jobId, 1000, false, lines::add);
    assertThat(lines).isNotEmpty();

    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(stack.apiUrl() + "/v1/jobs/" + jobId + "/stream?logs=true&tail=1000"))
            .header("Authorization", "Bearer " + stack.adminKey())
            .build();
    HttpResponse<String> stream =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
    // a finished job's stream is its history, its log, then end (and the server closes it)
    assertThat(stream.body())
        .contains("event: log\n")
        .endsWith("event: end\ndata: {\"status\":\"succeeded\"}\n\n");
    assertThat(stream.body()).contains(JSON.writeValueAsString(lines.get(lines.size() - 1)));
  }

  /**
   * A real local trainer's log reaches the embedded S3 while it runs and once more at its end, and
   * {@code trainyard logs}, the logs endpoint and the job stream read that copy once the job
   * folder's file is gone.
   */
  @Test
  void aTrainerLogIsArchivedWhileItRunsAndStillServedOnceItsFileIsDeleted() throws Exception {
    long jobId =
        submit(
            job -> {
              job.put("epochs", 6);
              job.putObject("hyperparameters").put("seconds_per_epoch", 1.5);
            });
    TrainerLogArchive archive;
    try (S3Client client = stack.s3().settings().client()) {
      archive = new TrainerLogArchive(client, EmbeddedS3.BUCKET);
      String whileRunning =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> archived(archive, jobId), text -> text.contains("epoch 1/6"));
      assertThat(api.job(jobId).path("status").asText())
          .as("a periodic copy, made before the job ended")
          .isIn("queued", "running");
      assertThat(whileRunning).doesNotContain("epoch 6/6");

      assertThat(awaitEnd(jobId).path("status").asText()).isEqualTo("succeeded");
      Path file = stack.settings().jobsDirectory().resolve("job-" + jobId).resolve("trainer.log");
      String written = Files.readString(file);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> archived(archive, jobId), written::equals); // the last copy
      Files.delete(file);
    }

    List<String> lines = new ArrayList<>();
    api.logs(jobId, 1000, false, lines::add);
    assertThat(lines).anyMatch(line -> line.contains("epoch 6/6"));
    assertThat(lines).anyMatch(line -> line.contains(" job_id=" + jobId + " trace_id="));

    // `trainyard logs` prints the trainer's lines on System.out
    PrintStream terminal = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CliRunner.Result cli;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      cli =
          new CliRunner(
                  Map.of(
                      "HOME",
                      Files.createDirectories(dataDirectory.resolve("home")).toString(),
                      DevSettings.DATA_DIR_ENV,
                      dataDirectory.toString(),
                      "TRAINYARD_API",
                      stack.apiUrl()),
                  dataDirectory)
              .run("logs", Long.toString(jobId), "--tail", "1000");
    } finally {
      System.setOut(terminal);
    }
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("epoch 1/6", "epoch 6/6");

    HttpResponse<String> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            stack.apiUrl() + "/v1/jobs/" + jobId + "/stream?logs=true&tail=1000"))
                    .header("Authorization", "Bearer " + stack.adminKey())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
    assertThat(stream.body()).contains("event: log\n").contains("epoch 6/6");
  }

  private static String archived(TrainerLogArchive archive, long jobId) throws IOException {
    Optional<InputStream> log = archive.open(jobId);
    if (log.isEmpty()) {
      return "";
    }
    try (InputStream in = log.get()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static long submit(Consumer<ObjectNode> customise) {
    return ScriptedJobs.submit(api, customise);
  }

  private static JsonNode awaitEnd(long jobId) {
    return await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> api.job(jobId),
            job ->
                List.of("succeeded", "failed", "cancelled").contains(job.path("status").asText()));
  }

  private static List<JsonNode> events(long jobId) {
    List<JsonNode> all = new ArrayList<>();
    api.events(jobId, null, 500).path("events").forEach(all::add);
    return all;
  }

  private static List<JsonNode> metrics(long jobId) {
    List<JsonNode> all = new ArrayList<>();
    api.metrics(jobId, null, 500).path("metrics").forEach(all::add);
    return all;
  }

  private static List<String> transitions(List<JsonNode> events) {
    return events.stream()
        .filter(e -> "status_changed".equals(e.path("event_type").asText()))
        .map(e -> e.path("data").path("from").asText() + "->" + e.path("data").path("to").asText())
        .toList();
  }

  private static String token(long jobId, Instant issuedAt, Instant expiresAt) {
    return Jwts.builder()
        .claim(CallbackContract.CLAIM_JOB_ID, jobId)
        .claim(CallbackContract.CLAIM_SCOPE, CallbackContract.SCOPE)
        .issuedAt(Date.from(issuedAt))
        .expiration(Date.from(expiresAt))
        .signWith(
            Keys.hmacShaKeyFor(stack.jwtSecret().getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
        .compact();
  }

  private static HttpResponse<String> heartbeat(long jobId, String token, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/jobs/" + jobId + "/heartbeat"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
