package dev.trainyard.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.SseClient;
import dev.trainyard.api.support.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The logs endpoint for the local runtime: a real log file under a real jobs directory. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LocalLogsEndpointTest {
  static final TestStack STACK = TestStack.get();
  static final Path JOBS = jobsDirectory();
  static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("logs.jobsDirectory", JOBS.toString()),
          ConfigOverride.config("logs.followPollMillis", "50"));
  static final ObjectMapper JSON = new ObjectMapper();

  static Path jobsDirectory() {
    try {
      return Files.createTempDirectory("trainyard-logs-test").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Http http() {
    return new Http(APP.getLocalPort());
  }

  /** A submitted job whose trainer log is {@code log} (as the workflow records it on queued). */
  long jobWithLog(Path log, String status) throws Exception {
    return jobWithLog(APP.getLocalPort(), log == null ? null : log.toString(), status);
  }

  /** A job submitted to the API on {@code port} whose trainer_log is {@code log}. */
  static long jobWithLog(int port, String log, String status) throws Exception {
    Http.Reply reply =
        new Http(port)
            .post(
                "/v1/jobs",
                JSON.writeValueAsString(
                    Map.of(
                        "framework",
                        "scripted",
                        "model_name",
                        "m",
                        "dataset_id",
                        "d",
                        "epochs",
                        1,
                        "batch_size",
                        1,
                        "learning_rate",
                        0.1,
                        "project_id",
                        "proj-1")));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    long id = reply.json().get("job_id").asLong();
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE training_jobs SET trainer_log = :log, status = :status WHERE id = :id")
                .bind("log", log)
                .bind("status", status)
                .bind("id", id)
                .execute());
    return id;
  }

  static Path logFile(String job, String text) throws IOException {
    Path dir = Files.createDirectories(JOBS.resolve(job));
    return Files.writeString(dir.resolve("trainer.log"), text);
  }

  @Test
  void theJobStreamCarriesTheLogTailThenNewLinesAndResumesAtItsOffset() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 150; i++) {
      text.append("line ").append(i).append('\n');
    }
    Path log = logFile("stream-log", text.toString());
    long id = jobWithLog(log, "running");
    Duration wait = Duration.ofSeconds(10);
    String resumeAt;
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(),
            "/v1/jobs/" + id + "/stream?logs=true&tail=3",
            STACK.adminKey,
            null)) {
      SseClient.Frame tail = stream.awaitEvent("log", wait);
      assertThat(lines(tail)).containsExactly("line 148", "line 149", "line 150");
      assertThat(tail.id()).endsWith("-l" + Files.size(log));

      Files.writeString(
          log,
          "line 151\nTOKEN=eyJhbGciOiJIUzI1NiJ9.eyJqb2JfaWQiOjF9.c2lnbmF0dXJlLXRlc3Q\n",
          StandardOpenOption.APPEND);
      SseClient.Frame appended = stream.awaitEvent("log", wait);
      assertThat(lines(appended)).containsExactly("line 151", "TOKEN=[redacted token]");
      resumeAt = appended.id();
    }
    Files.writeString(log, "line 153\n", StandardOpenOption.APPEND);
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(), "/v1/jobs/" + id + "/stream?logs=true", STACK.adminKey, resumeAt)) {
      assertThat(lines(stream.awaitEvent("log", wait))).containsExactly("line 153");
      // the job ends with a line still missing its newline: it comes before end
      Files.writeString(log, "last words", StandardOpenOption.APPEND);
      STACK.jdbi.useHandle(
          h ->
              h.createUpdate("UPDATE training_jobs SET status = 'failed' WHERE id = :id")
                  .bind("id", id)
                  .execute());
      stream.awaitEvent("end", wait);
      List<String> after = new java.util.ArrayList<>();
      for (SseClient.Frame f : stream.seen()) {
        if (f.event().equals("log")) {
          after.addAll(lines(f));
        }
      }
      assertThat(after).containsExactly("line 153", "last words");
    }
  }

  @Test
  void aStreamRefusesLogsItCannotCarry() throws Exception {
    long pod = jobWithLog(null, "running");
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE training_jobs SET trainer_log = 'kubernetes://ns/jobs/job-1'"
                        + " WHERE id = :id")
                .bind("id", pod)
                .execute());
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(), "/v1/jobs/" + pod + "/stream?logs=true", STACK.adminKey, null)) {
      assertThat(stream.status).isEqualTo(400);
      assertThat(stream.refusal()).contains("logs?follow=true");
    }
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(), "/v1/jobs/" + pod + "/stream?logs=maybe", STACK.adminKey, null)) {
      assertThat(stream.status).isEqualTo(400);
      assertThat(stream.refusal()).contains("logs");
    }
  }

  private static List<String> lines(SseClient.Frame frame) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    JSON.readTree(frame.data()).get("lines").forEach(line -> lines.add(line.asText()));
    return lines;
  }

  @Test
  void tailReturnsTheLastLinesAsPlainTextWithTokensMasked() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 500; i++) {
      text.append("line ").append(i).append('\n');
    }
    text.append("CALLBACK_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJqb2JfaWQiOjF9.c2lnbmF0dXJlLXRlc3Q\n");
    long id = jobWithLog(logFile("job-tail", text.toString()), "running");

    Http.Reply reply = http().get("/v1/jobs/" + id + "/logs?tail=3");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(reply.body()).isEqualTo("line 499\nline 500\nCALLBACK_TOKEN=[redacted token]\n");
    assertThat(http().get("/v1/jobs/" + id + "/logs").body().split("\n")).hasSize(100);
  }

  @Test
  void followStreamsAppendedLinesUntilTheJobEnds() throws Exception {
    Path log = logFile("job-follow", "starting\n");
    long id = jobWithLog(log, "running");
    List<String> received = new CopyOnWriteArrayList<>();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + APP.getLocalPort()
                        + "/v1/jobs/"
                        + id
                        + "/logs?follow=true"))
            .header("Authorization", "Bearer " + STACK.adminKey)
            .build();
    CompletableFuture<Integer> done =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                HttpResponse<java.io.InputStream> response =
                    HttpClient.newHttpClient()
                        .send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  reader.lines().forEach(received::add);
                }
                return response.statusCode();
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.contains("starting"));

    Files.writeString(log, "epoch 1\nepoch 2 (partial", StandardOpenOption.APPEND);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received.contains("epoch 1"));
    assertThat(done).isNotDone();
    Files.writeString(log, " line ends)\ndone\n", StandardOpenOption.APPEND);
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE training_jobs SET status = 'succeeded' WHERE id = :id")
                .bind("id", id)
                .execute());

    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(received)
        .containsExactly("starting", "epoch 1", "epoch 2 (partial line ends)", "done");
  }

  @Test
  void aLogOutsideTheJobsDirectoryIsRefused() throws Exception {
    Path outside = Files.createTempFile("not-a-trainer-log", ".txt");
    Files.writeString(outside, "secret stuff\n");
    long id = jobWithLog(outside, "running");
    long traversal = jobWithLog(JOBS.resolve("job-x/../../etc/passwd"), "running");

    for (long job : List.of(id, traversal)) {
      Http.Reply reply = http().get("/v1/jobs/" + job + "/logs");
      assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.body()).doesNotContain("secret stuff").doesNotContain("root:");
    }
  }

  /**
   * A worker on another machine or container wrote it: never an empty 200 that reads as silence.
   */
  @Test
  void aLogThisApiCannotSeeIsAnErrorWithTheReason() throws Exception {
    long id = jobWithLog(JOBS.resolve("worker-elsewhere/job-9/trainer.log"), "running");

    for (String path : List.of("/logs", "/logs?follow=true")) {
      Http.Reply reply = http().get("/v1/jobs/" + id + path);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().get("detail").asText()).contains("not on this API's file system");
    }
  }

  @Test
  void badParametersUnknownJobsAndUnlaunchedJobsAnswerClearly() throws Exception {
    long id = jobWithLog(null, "pending");
    assertThat(http().get("/v1/jobs/" + id + "/logs").status()).isEqualTo(200);
    assertThat(http().get("/v1/jobs/" + id + "/logs").body()).isEmpty();

    JsonNode badTail = http().get("/v1/jobs/" + id + "/logs?tail=0").json();
    assertThat(badTail.get("status").asInt()).isEqualTo(400);
    assertThat(badTail.get("errors").has("tail")).isTrue();
    assertThat(http().get("/v1/jobs/" + id + "/logs?follow=maybe").status()).isEqualTo(400);
    assertThat(http().get("/v1/jobs/987654321/logs").status()).isEqualTo(404);
    long k8s =
        jobWithLog(Path.of("kubernetes://trainyard-training/jobs/trainyard-job-1"), "running");
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE training_jobs SET trainer_log = :l WHERE id = :id")
                .bind("l", "kubernetes://trainyard-training/jobs/trainyard-job-1")
                .bind("id", k8s)
                .execute());
    assertThat(http().get("/v1/jobs/" + k8s + "/logs").status())
        .as("no Kubernetes access configured")
        .isEqualTo(503);
  }
}
