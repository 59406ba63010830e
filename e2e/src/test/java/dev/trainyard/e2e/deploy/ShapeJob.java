package dev.trainyard.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.e2e.support.E2eApi;
import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One job through a deploy shape, as a user drives it: a dataset uploaded through the API, an
 * Ultralytics job on the CPU (the shapes' configured trainer), its checkpoint downloaded, its log
 * read through the API.
 */
final class ShapeJob {
  static final String DATASET = "deploy-shapes";
  private static final Duration JOB_END = Duration.ofMinutes(8);
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  private ShapeJob() {}

  /** A synthetic YOLO dataset (the trainer package's generator): 32 + 8 images of 64 px. */
  static Path dataset(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Path zip = directory.resolve(DATASET + ".zip");
    Process process =
        new ProcessBuilder(
                ShapeStack.trainerVenv().resolve("bin/python").toString(),
                "-m",
                "trainyard_trainer.synthetic",
                zip.toString(),
                "--train",
                "32",
                "--val",
                "8",
                "--size",
                "64")
            .directory(Repository.file("trainer-ultralytics").toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as("dataset generator: " + output)
        .isTrue();
    return zip;
  }

  static ObjectNode ultralytics() {
    ObjectNode job =
        E2eApi.JSON
            .createObjectNode()
            .put("framework", "ultralytics")
            .put("model_name", "yolo11n.yaml")
            .put("dataset_id", DATASET)
            .put("project_id", E2eApi.PROJECT)
            .put("epochs", 1)
            .put("batch_size", 8)
            .put("learning_rate", 0.01)
            // torch's import alone takes tens of seconds on a loaded 2-core machine
            .put("startup_timeout_seconds", 600)
            .put("heartbeat_timeout_seconds", 300);
    ObjectNode hyperparameters =
        job.putObject("hyperparameters")
            .put("imgsz", 64)
            .put("workers", 0)
            .put("device", "cpu")
            .put("heartbeat_interval_seconds", 5);
    hyperparameters.putObject("train_args").put("nbs", 8).put("warmup_epochs", 0);
    return job;
  }

  static JsonNode awaitEnd(ApiClient api, long jobId) {
    await()
        .atMost(JOB_END)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> TERMINAL.contains(api.job(jobId).path("status").asText()));
    return api.job(jobId);
  }

  /**
   * Uploads the dataset, runs the job to its end and checks what a user gets back: succeeded, an
   * MLflow run, both checkpoints (best.pt downloaded), the trainer's log. Returns the job.
   */
  static JsonNode runEndToEnd(ApiClient user, Path work, java.util.function.Supplier<String> logs)
      throws IOException, InterruptedException {
    JsonNode uploaded =
        user.uploadDataset(E2eApi.PROJECT, DATASET, dataset(work.resolve("data")), true);
    assertThat(uploaded.path("url").asText())
        .isEqualTo("s3://trainyard/datasets/" + E2eApi.PROJECT + "/" + DATASET + ".zip");

    long jobId = user.submit(ultralytics(), null).path("job_id").asLong();
    JsonNode job = awaitEnd(user, jobId);

    assertThat(job.path("status").asText()).as(job + "\n" + logs.get()).isEqualTo("succeeded");
    assertThat(job.path("mlflow_run_id").asText()).isNotBlank();
    List<String> artifacts = new ArrayList<>();
    user.artifacts(jobId).path("artifacts").forEach(a -> artifacts.add(a.path("name").asText()));
    assertThat(artifacts).contains("best.pt", "last.pt");
    Path best = user.downloadArtifact(jobId, "best.pt", work.resolve("download"));
    assertThat(Files.size(best)).isGreaterThan(100_000);

    List<String> log = logs(user, jobId);
    assertThat(log).as("trainyard logs " + jobId).isNotEmpty();
    assertThat(String.join("\n", log)).contains("job " + jobId + ": model=yolo11n.yaml");
    return job;
  }

  static List<String> logs(ApiClient api, long jobId) {
    List<String> lines = new ArrayList<>();
    api.logs(jobId, 200, false, lines::add);
    return lines;
  }
}
