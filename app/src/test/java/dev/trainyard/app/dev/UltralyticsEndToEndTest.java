package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real YOLO training (Ultralytics, CPU, tiny images) through the whole dev stack: the dataset is
 * uploaded through the API into the embedded S3 server, the worker launches trainer-ultralytics'
 * train.py, and everything is read back as a user would (job, events, metrics, artifacts), plus the
 * MLflow file store. Needs the trainer venv (see trainer-ultralytics/README.md).
 */
class UltralyticsEndToEndTest {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDirectory;
  static DevStack stack;
  static ApiClient api;

  @BeforeAll
  static void startStackAndUploadDataset() throws Exception {
    Path python = TrainerFrameworks.python(System.getenv());
    assertThat(Files.isExecutable(python))
        .withFailMessage(
            "the trainer venv is missing: %s. Create it with: python3 -m venv"
                + " ~/.cache/trainyard/venv && ~/.cache/trainyard/venv/bin/pip install -r"
                + " trainer-ultralytics/requirements-test.txt (or set %s)",
            python, TrainerFrameworks.PYTHON_ENV)
        .isTrue();
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
    Path zip =
        UltralyticsDemo.generateDataset(System.getenv(), dataDirectory.resolve("demo"), 48, 16);
    JsonNode uploaded = UltralyticsDemo.upload(api, zip);
    assertThat(uploaded.path("url").asText())
        .isEqualTo("s3://trainyard/datasets/demo/demo-shapes.zip");
    assertThat(uploaded.path("images").asInt()).isEqualTo(64);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aRealTrainingRunReportsEveryEpochUploadsCheckpointsAndFinishesItsMlflowRun()
      throws Exception {
    long jobId = submit(job -> job.put("epochs", 3));

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.path("current_epoch").asInt()).isEqualTo(3);
    List<JsonNode> metrics = new ArrayList<>();
    api.metrics(jobId, null, 500).path("metrics").forEach(metrics::add);
    List<JsonNode> perEpoch = metrics.stream().filter(m -> m.path("epoch").asInt() > 0).toList();
    assertThat(perEpoch).hasSizeGreaterThanOrEqualTo(3);
    assertThat(perEpoch.get(0).path("metrics").fieldNames())
        .toIterable()
        .contains(
            "box_loss", "cls_loss", "dfl_loss", "precision", "recall", "mAP50", "mAP50-95", "lr");
    // done's final metrics are stored once, as epoch -1: exactly one done was accepted
    assertThat(metrics.stream().filter(m -> m.path("epoch").asInt() == -1)).hasSize(1);
    assertThat(job.path("final_metrics").has("mAP50-95")).isTrue();

    List<String> trainerEvents = trainerEvents(jobId);
    assertThat(trainerEvents)
        .hasSizeGreaterThanOrEqualTo(3)
        .containsSubsequence(
            "dataset_download_started",
            "dataset_loaded",
            "mlflow_initialized",
            "model_initialized",
            "training_started",
            "checkpoint_saved",
            "training_completed");

    assertThat(job.path("artifacts").path("best_checkpoint").asText())
        .isEqualTo("s3://trainyard/checkpoints/job-" + jobId + "/best.pt");
    assertThat(artifactNames(jobId)).containsExactly("best.pt", "last.pt");
    Path downloaded = api.downloadArtifact(jobId, "best.pt", dataDirectory.resolve("download"));
    assertThat(Files.size(downloaded)).isGreaterThan(100_000);

    assertThat(mlflowRunStatus(job.path("mlflow_run_id").asText())).isEqualTo("3"); // FINISHED
  }

  @Test
  void cancellingMidTrainingEndsCancelledWithLastCheckpointUploaded() throws Exception {
    long jobId = submit(job -> job.put("epochs", 100));
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.job(jobId).path("current_epoch").asInt() >= 1);

    api.cancel(jobId);
    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("cancelled");
    assertThat(job.path("failure_reason").asText()).isEqualTo("cancelled_by_user");
    assertThat(job.path("current_epoch").asInt()).isLessThan(100);
    assertThat(job.path("artifacts").path("last_checkpoint").asText())
        .isEqualTo("s3://trainyard/checkpoints/job-" + jobId + "/last.pt");
    assertThat(artifactNames(jobId)).contains("last.pt");
    assertThat(trainerEvents(jobId)).contains("training_cancelled");
    assertThat(mlflowRunStatus(job.path("mlflow_run_id").asText())).isEqualTo("5"); // KILLED
  }

  @Test
  void aMissingDatasetFailsTheJobWithTheReason() {
    long jobId = submit(job -> job.put("dataset_id", "no-such-dataset"));

    JsonNode job = awaitEnd(jobId);

    assertThat(job.path("status").asText()).isEqualTo("failed");
    assertThat(job.path("failure_reason").asText()).isEqualTo("trainer_reported_failure");
    assertThat(job.path("error_message").asText())
        .contains("dataset 'demo/no-such-dataset' cannot be used")
        .contains("datasets/demo/no-such-dataset.zip not found");
    assertThat(trainerEvents(jobId)).contains("dataset_not_found");
  }

  @Test
  void hostileOrBrokenDatasetUploadsAreRefusedWithAReason() throws Exception {
    Path slip =
        zip(
            "slip.zip",
            "data.yaml",
            "train: images\nval: images\nnames: [a]\n",
            "../../evil.txt",
            "x");
    Path noYaml = zip("no-yaml.zip", "images/a.png", "x", "labels/a.txt", "0 0.5 0.5 0.1 0.1");
    Path notZip = dataDirectory.resolve("not.zip");
    Files.writeString(notZip, "plain text");

    assertThatThrownBy(() -> api.uploadDataset(DevStack.DEMO_PROJECT, "slip", slip, true))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.detail()).contains("points outside the dataset");
            });
    assertThatThrownBy(() -> api.uploadDataset(DevStack.DEMO_PROJECT, "no-yaml", noYaml, true))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.detail()).contains("no data.yaml"));
    assertThatThrownBy(() -> api.uploadDataset(DevStack.DEMO_PROJECT, "not-zip", notZip, true))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
    assertThatThrownBy(() -> api.uploadDataset(DevStack.DEMO_PROJECT, "bad..id", noYaml, true))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(
            () -> api.uploadDataset(DevStack.DEMO_PROJECT, UltralyticsDemo.DATASET, noYaml, false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  private static Path zip(String name, String... entries) throws IOException {
    Path file = dataDirectory.resolve(name);
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < entries.length; i += 2) {
        zip.putNextEntry(new ZipEntry(entries[i]));
        zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return file;
  }

  private static long submit(Consumer<ObjectNode> customise) {
    ObjectNode job = UltralyticsDemo.job(JSON, 3);
    ((ObjectNode) job.get("hyperparameters")).put("heartbeat_interval_seconds", 1);
    customise.accept(job);
    return api.submit(job, null).path("job_id").asLong();
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

  private static List<String> trainerEvents(long jobId) {
    List<String> types = new ArrayList<>();
    api.events(jobId, null, 500)
        .path("events")
        .forEach(
            e -> {
              if ("trainer".equals(e.path("source").asText())) {
                types.add(e.path("event_type").asText());
              }
            });
    return types;
  }

  private static List<String> artifactNames(long jobId) {
    List<String> names = new ArrayList<>();
    api.artifacts(jobId).path("artifacts").forEach(a -> names.add(a.path("name").asText()));
    return names;
  }

  /** The run's status code in MLflow's file store (3 FINISHED, 4 FAILED, 5 KILLED). */
  private static String mlflowRunStatus(String runId) throws IOException {
    assertThat(runId).isNotBlank();
    try (Stream<Path> files = Files.walk(dataDirectory.resolve("mlruns"))) {
      Optional<Path> meta = files.filter(p -> p.endsWith(Path.of(runId, "meta.yaml"))).findFirst();
      assertThat(meta).as("MLflow run " + runId).isPresent();
      return Files.readAllLines(meta.get()).stream()
          .filter(l -> l.startsWith("status:"))
          .map(l -> l.substring("status:".length()).trim())
          .findFirst()
          .orElse("?");
    }
  }
}
