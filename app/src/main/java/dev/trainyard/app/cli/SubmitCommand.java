package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "submit",
    description = "Submit a training job.",
    mixinStandardHelpOptions = true,
    sortOptions = false)
public final class SubmitCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Option(names = "--framework", required = true, description = "Trainer framework, e.g. scripted")
  String framework;

  @Option(names = "--model", required = true, description = "Model name")
  String modelName;

  @Option(names = "--dataset", required = true, description = "Dataset id")
  String datasetId;

  @Option(
      names = "--project",
      paramLabel = "PROJECT",
      description =
          "The job's project (default: the project of your key; a global admin key must name one)")
  String projectId;

  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Epochs (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "16",
      description = "Batch size (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.01",
      description = "Learning rate (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(
      names = {"-H", "--hyperparameter"},
      paramLabel = "KEY=VALUE",
      description =
          "A hyperparameter; repeatable. VALUE is read as JSON when it parses (5, 0.1,"
              + " true, \"x\", {...}), else as a string")
  Map<String, String> hyperparameters = new LinkedHashMap<>();

  @Option(
      names = "--heartbeat-timeout",
      paramLabel = "SECONDS",
      description = "Fail the job when the trainer is silent this long (API default 600)")
  Long heartbeatTimeoutSeconds;

  @Option(
      names = "--startup-timeout",
      paramLabel = "SECONDS",
      description = "Fail the job when the trainer never calls back within this (API default 900)")
  Long startupTimeoutSeconds;

  @Option(
      names = "--max-runtime",
      paramLabel = "SECONDS",
      description = "Fail the job when it runs longer (API default 86400)")
  Long maxRuntimeSeconds;

  @Option(
      names = "--cancel-grace",
      paramLabel = "SECONDS",
      description = "How long a cancelled trainer may take to stop (API default 60)")
  Long cancelGraceSeconds;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description =
          "Attempts the job may use when its trainer dies (1-20; API default 1): a retried"
              + " attempt resumes from the last checkpoint")
  Integer maxAttempts;

  @Option(
      names = "--retry-on",
      paramLabel = "CAUSE",
      split = ",",
      description =
          "Failure reasons that start another attempt, comma-separated (default: trainer_exited,"
              + " oom_killed, evicted, preempted, node_lost, heartbeat_timeout, launch_failed)")
  List<String> retryOn;

  @Option(
      names = "--retry-backoff",
      paramLabel = "SECONDS",
      description = "Wait before the second attempt, doubled for each later one (default 10)")
  Integer retryBackoffSeconds;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "EPOCHS",
      description = "How often the trainer uploads a resumable checkpoint (default 1)")
  Integer checkpointEveryEpochs;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Retry-safe key: the same key returns the same job")
  String idempotencyKey;

  @Option(
      names = {"-f", "--follow"},
      description = "Follow the job to its end; exit code 0 only if it succeeded")
  boolean follow;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() throws Exception {
    ApiClient api = apiOptions.client();
    String project = ProjectDefault.resolve(api, projectId);
    JsonNode created = api.submit(body(ApiOptions.Json.MAPPER, project), idempotencyKey);
    long jobId = created.path("job_id").asLong();
    if (printJson) {
      System.out.println(created.toPrettyString());
    } else {
      System.out.println(
          "submitted job " + jobId + " (trace " + created.path("trace_id").asText() + ")");
    }
    if (!follow) {
      return 0;
    }
    return Follow.toTheEnd(api, jobId, false);
  }

  ObjectNode body(ObjectMapper json, String project) {
    ObjectNode body = json.createObjectNode();
    body.put("framework", framework);
    body.put("model_name", modelName);
    body.put("dataset_id", datasetId);
    body.put("project_id", project);
    body.put("epochs", epochs);
    body.put("batch_size", batchSize);
    body.put("learning_rate", learningRate);
    ObjectNode hyper = body.putObject("hyperparameters");
    hyperparameters.forEach((key, value) -> hyper.set(key, parseValue(json, value)));
    putIfSet(body, "heartbeat_timeout_seconds", heartbeatTimeoutSeconds);
    putIfSet(body, "startup_timeout_seconds", startupTimeoutSeconds);
    putIfSet(body, "max_runtime_seconds", maxRuntimeSeconds);
    putIfSet(body, "cancel_grace_seconds", cancelGraceSeconds);
    if (checkpointEveryEpochs != null) {
      body.put("checkpoint_every_epochs", checkpointEveryEpochs);
    }
    if (maxAttempts != null || retryOn != null || retryBackoffSeconds != null) {
      // Only what was given: the API applies its defaults, and refuses what it cannot honour.
      ObjectNode retry = body.putObject("retry");
      if (maxAttempts != null) {
        retry.put("max_attempts", maxAttempts);
      }
      if (retryOn != null) {
        retryOn.forEach(retry.putArray("retry_on")::add);
      }
      if (retryBackoffSeconds != null) {
        retry.put("backoff_seconds", retryBackoffSeconds);
      }
    }
    return body;
  }

  private static void putIfSet(ObjectNode body, String field, Long value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  static JsonNode parseValue(ObjectMapper json, String value) {
    try {
      return json.readTree(value);
    } catch (IOException notJson) {
      return json.getNodeFactory().textNode(value);
    }
  }
}
