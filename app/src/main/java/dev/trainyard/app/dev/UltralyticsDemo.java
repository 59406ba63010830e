package dev.trainyard.app.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.StartupException;
import dev.trainyard.app.cli.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real-training demo: a synthetic shapes dataset (made by the trainer package's generator),
 * uploaded through the API into the stack's S3, then a tiny YOLO job (imgsz 64) on the CPU.
 */
final class UltralyticsDemo {
  static final String DATASET = "demo-shapes";
  static final String MODEL = "yolo11n.yaml";

  private UltralyticsDemo() {}

  /**
   * The demo's dataset: 256 training and 64 validation images of 64 px. Fewer images or epochs
   * leave mAP at 0; this size learns (mAP50 ≈ 0.8 after 10 epochs, ≈ 25 s of training on 2 vCPUs).
   */
  static Path generateDataset(Map<String, String> env, Path directory)
      throws IOException, InterruptedException {
    return generateDataset(env, directory, 256, 64);
  }

  /** Writes the dataset zip with the trainer venv's Python; fails with what to install. */
  static Path generateDataset(
      Map<String, String> env, Path directory, int trainImages, int valImages)
      throws IOException, InterruptedException {
    Path python = TrainerFrameworks.python(env);
    Path root =
        RepositoryRoot.locate(env, Path.of(""))
            .orElseThrow(
                () ->
                    new StartupException(
                        "cannot find the Trainyard checkout (set TRAINYARD_HOME)"));
    if (!Files.isExecutable(python)) {
      throw new StartupException(
          "the trainer's Python "
              + python
              + " is missing: create it with "
              + TrainerVenv.INSTALLER
              + " (or set "
              + TrainerFrameworks.PYTHON_ENV
              + ")");
    }
    Files.createDirectories(directory);
    Path zip = directory.resolve(DATASET + ".zip");
    Process process =
        new ProcessBuilder(
                python.toString(),
                "-m",
                "trainyard_trainer.synthetic",
                zip.toString(),
                "--train",
                Integer.toString(trainImages),
                "--val",
                Integer.toString(valImages),
                "--size",
                "64")
            .directory(root.resolve("trainer-ultralytics").toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new StartupException("generating the demo dataset failed: " + output.strip());
    }
    return zip;
  }

  /** Into the demo project, replacing the dataset an earlier demo uploaded. */
  static JsonNode upload(ApiClient api, Path zip) throws IOException {
    return api.uploadDataset(DevStack.DEMO_PROJECT, DATASET, zip, true);
  }

  static ObjectNode job(ObjectMapper json, int epochs) {
    ObjectNode job = json.createObjectNode();
    job.put("framework", TrainerFrameworks.ULTRALYTICS);
    job.put("model_name", MODEL);
    job.put("dataset_id", DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", epochs);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    ObjectNode hyperparameters =
        job.putObject("hyperparameters")
            .put("imgsz", 64)
            .put("workers", 0)
            .put("heartbeat_interval_seconds", 5);
    // A tiny dataset needs an optimizer step per batch (nbs = batch) and no warm-up to learn
    // within a few epochs; with YOLO's defaults (nbs 64, 3 warm-up epochs) mAP stays 0.
    hyperparameters.putObject("train_args").put("nbs", 16).put("warmup_epochs", 0);
    return job;
  }

  /** The final mAP and where the checkpoints are, as the demo's last lines. */
  static List<String> summary(ApiClient api, long jobId) {
    JsonNode job = api.job(jobId);
    JsonNode metrics = job.path("final_metrics");
    String map =
        String.format(
            "final mAP50 %.4f, mAP50-95 %.4f (precision %.4f, recall %.4f)",
            metrics.path("mAP50").asDouble(),
            metrics.path("mAP50-95").asDouble(),
            metrics.path("precision").asDouble(),
            metrics.path("recall").asDouble());
    StringBuilder checkpoints = new StringBuilder("checkpoints:");
    api.artifacts(jobId)
        .path("artifacts")
        .forEach(
            a ->
                checkpoints.append(
                    String.format(
                        "%n  %-8s %9d bytes  %s",
                        a.path("name").asText(),
                        a.path("size_bytes").asLong(),
                        a.path("url").asText())));
    return List.of(
        map, checkpoints.toString(), "MLflow run: " + job.path("mlflow_run_id").asText());
  }
}
