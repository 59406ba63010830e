package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer that dies mid-job does not lose the job (issue #16): real YOLO training on the dev
 * stack, a 6-epoch job whose trainer is killed with SIGKILL right after its epoch-3 checkpoint
 * reached storage. The workflow starts attempt 2 with {@code RESUME_FROM} that checkpoint;
 * Ultralytics resumes at epoch 4, and the job ends {@code succeeded}, once, with six epochs of
 * metrics and a final mAP in the range of the same job run without interruption. The test prints
 * the two figures docs/benchmarks.md records: death to the next attempt's first heartbeat, and the
 * training lost.
 */
class UltralyticsResumeEndToEndTest {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final int EPOCHS = 6;
  private static final int KILL_AFTER_EPOCH = 3;
  private static final int BACKOFF_SECONDS = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDirectory;
  static DevStack stack;
  static ApiClient api;

  @BeforeAll
  static void startStackAndUploadDataset() throws Exception {
    Path python = TrainerFrameworks.python(System.getenv());
    assertThat(Files.isExecutable(python))
        .withFailMessage(
            "the trainer venv is missing: %s (see trainer-ultralytics/README.md)", python)
        .isTrue();
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
    Path zip =
        UltralyticsDemo.generateDataset(System.getenv(), dataDirectory.resolve("demo"), 256, 64);
    UltralyticsDemo.upload(api, zip);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aTrainerKilledAfterItsEpoch3CheckpointResumesInAttempt2AtEpoch4AndTheJobSucceeds()
      throws Exception {
    JsonNode uninterrupted = awaitEnd(submit());
    assertThat(uninterrupted.path("status").asText())
        .as(uninterrupted.toString())
        .isEqualTo("succeeded");
    double baselineMap = uninterrupted.path("final_metrics").path("mAP50-95").asDouble();

    long jobId = submit();
    awaitCheckpoint(jobId, KILL_AFTER_EPOCH);
    ProcessHandle trainer = onlyTrainerProcess();
    Instant killedAt = Instant.now();
    assertThat(trainer.destroyForcibly()).isTrue(); // SIGKILL: nothing in the trainer runs
    // Epoch 4's checkpoint may have landed while the test looked for the trainer: resume from the
    // latest the trainer confirmed before it died, whichever that is.
    JsonNode checkpoint = latestCheckpoint(jobId);
    int resumedEpoch = checkpoint.path("data").path("epoch").asInt();
    assertThat(checkpoint.path("data").path("uri").asText())
        .isEqualTo("s3://trainyard/checkpoints/job-" + jobId + "/attempt-1/last.pt");
    Instant firstHeartbeat = awaitFirstHeartbeatOfAttempt2(jobId, killedAt);

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.path("attempt").asInt()).isEqualTo(2);
    JsonNode attempts = job.path("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).path("cause").asText()).isEqualTo("trainer_exited");
    assertThat(attempts.get(1).path("resumed_from").path("epoch").asInt()).isEqualTo(resumedEpoch);
    assertThat(attempts.get(1).path("resumed_from").path("uri").asText())
        .isEqualTo(checkpoint.path("data").path("uri").asText());
    assertThat(attempts.get(1).path("cause").isNull()).isTrue();

    Set<Integer> epochsBefore = new TreeSet<>();
    Set<Integer> epochsAfter = new TreeSet<>();
    for (JsonNode metric : api.metrics(jobId, null, 500).path("metrics")) {
      int epoch = metric.path("epoch").asInt();
      if (epoch > 0 && metric.path("metrics").has("mAP50-95")) {
        (Instant.parse(metric.path("created_at").asText()).isBefore(killedAt)
                ? epochsBefore
                : epochsAfter)
            .add(epoch);
      }
    }
    assertThat(epochsBefore).containsAll(range(1, resumedEpoch));
    assertThat(epochsAfter)
        .as("attempt 2 goes on after its checkpoint's epoch, it does not start at 1")
        .containsExactlyElementsOf(range(resumedEpoch + 1, EPOCHS));
    int epochsRepeated = (int) epochsBefore.stream().filter(epochsAfter::contains).count();

    List<String> events = eventTypes(jobId);
    assertThat(events)
        .containsSubsequence("attempt_failed", "attempt_started", "training_resumed")
        .containsOnlyOnce("training_completed");

    double resumedMap = job.path("final_metrics").path("mAP50-95").asDouble();
    System.out.printf(
        "figure: death to attempt 2's first heartbeat %.1f s (backoff %d s); resumed from epoch"
            + " %d; epochs repeated %d; mAP50-95 resumed %.3f, uninterrupted %.3f%n",
        Duration.between(killedAt, firstHeartbeat).toMillis() / 1000.0,
        BACKOFF_SECONDS,
        resumedEpoch,
        epochsRepeated,
        resumedMap,
        baselineMap);
    assertThat(resumedMap)
        .as("resumed against uninterrupted mAP50-95")
        .isBetween(baselineMap * 0.5, baselineMap * 1.5 + 0.05);
  }

  private static long submit() {
    ObjectNode job = UltralyticsDemo.job(JSON, EPOCHS);
    ((ObjectNode) job.get("hyperparameters")).put("heartbeat_interval_seconds", 1);
    job.put("checkpoint_every_epochs", 1);
    job.putObject("retry").put("max_attempts", 2).put("backoff_seconds", BACKOFF_SECONDS);
    return api.submit(job, null).path("job_id").asLong();
  }

  private static JsonNode awaitCheckpoint(long jobId, int epoch) {
    return await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> checkpointEvent(jobId, epoch), Optional::isPresent)
        .orElseThrow();
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> epochs = new ArrayList<>();
    for (int epoch = from; epoch <= to; epoch++) {
      epochs.add(epoch);
    }
    return epochs;
  }

  /** The resumable checkpoint of the highest epoch the trainer reported. */
  private static JsonNode latestCheckpoint(long jobId) {
    JsonNode latest = null;
    for (JsonNode event : api.events(jobId, null, 500).path("events")) {
      JsonNode data = event.path("data");
      if ("checkpoint_saved".equals(event.path("event_type").asText())
          && "last".equals(data.path("kind").asText())
          && (latest == null
              || data.path("epoch").asInt() > latest.path("data").path("epoch").asInt())) {
        latest = event;
      }
    }
    assertThat(latest).as("a resumable checkpoint").isNotNull();
    return latest;
  }

  private static Optional<JsonNode> checkpointEvent(long jobId, int epoch) {
    for (JsonNode event : api.events(jobId, null, 500).path("events")) {
      JsonNode data = event.path("data");
      if ("checkpoint_saved".equals(event.path("event_type").asText())
          && "last".equals(data.path("kind").asText())
          && data.path("epoch").asInt() == epoch) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }

  /** The one train.py this test's stack runs (the jobs run one after the other). */
  private static ProcessHandle onlyTrainerProcess() {
    List<ProcessHandle> trainers =
        ProcessHandle.current()
            .descendants()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().orElse("").contains("train.py"))
            .toList();
    assertThat(trainers).as("running trainers").hasSize(1);
    return trainers.get(0);
  }

  private static Instant awaitFirstHeartbeatOfAttempt2(long jobId, Instant killedAt) {
    JsonNode job =
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> api.job(jobId),
                j ->
                    j.path("attempt").asInt() == 2
                        && j.hasNonNull("last_heartbeat_at")
                        && Instant.parse(j.path("last_heartbeat_at").asText()).isAfter(killedAt));
    return Instant.parse(job.path("last_heartbeat_at").asText());
  }

  private static JsonNode awaitEnd(long jobId) {
    return await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> api.job(jobId),
            job ->
                List.of("succeeded", "failed", "cancelled").contains(job.path("status").asText()));
  }

  private static List<String> eventTypes(long jobId) {
    List<String> types = new ArrayList<>();
    api.events(jobId, null, 500)
        .path("events")
        .forEach(e -> types.add(e.path("event_type").asText()));
    return types;
  }
}
