package dev.trainyard.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed's trainer environment for one job, applied on top of the inherited environment. */
public final class TrainerEnvironment {
  /**
   * The backend's own settings (the JWT signing secret above all) must not reach trainer code: with
   * the secret a trainer could mint tokens for any job.
   */
  static final String BACKEND_PREFIX = "TRAINYARD_";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainerEnvironment() {}

  /**
   * Sets the job's variables in {@code env} (a process builder's copy of this process's
   * environment). Extra configured variables go first so that they can never replace the job's own.
   */
  static void apply(
      Map<String, String> env, LaunchRequest request, String token, LocalLauncherConfig config) {
    env.keySet().removeIf(name -> name.startsWith(BACKEND_PREFIX));
    env.putAll(config.extraEnvironment());
    // a resume variable inherited from the worker's own environment must not reach a fresh start
    RESUME_VARIABLES.forEach(env::remove);
    env.putAll(jobVariables(request, config.backendBaseUrl()));
    env.put(CALLBACK_TOKEN, token);
  }

  /** The attempt number (1, 2, ...): {@code TRAINYARD_ATTEMPT} would be stripped as a backend's. */
  public static final String ATTEMPT = "ATTEMPT";

  /** Every how many epochs the trainer uploads {@code last.pt}. */
  public static final String CHECKPOINT_EVERY_EPOCHS = "CHECKPOINT_EVERY_EPOCHS";

  /** Only on a resumed attempt: the checkpoint's URI ({@code s3://.../last.pt}). */
  public static final String RESUME_FROM = "RESUME_FROM";

  /** Only on a resumed attempt: the epoch that checkpoint completed (1-based). */
  public static final String RESUME_EPOCH = "RESUME_EPOCH";

  private static final List<String> RESUME_VARIABLES = List.of(RESUME_FROM, RESUME_EPOCH);

  /**
   * The seed's variables and the attempt's ({@link #attemptVariables}), in a fixed order: what both
   * launchers hand one attempt's trainer, except the token.
   */
  public static Map<String, String> jobVariables(LaunchRequest request, String backendBaseUrl) {
    Map<String, String> env = jobVariables(request.spec(), backendBaseUrl);
    env.putAll(attemptVariables(request));
    return env;
  }

  /**
   * {@code ATTEMPT}, {@code CHECKPOINT_EVERY_EPOCHS}, and on a resumed attempt {@code RESUME_FROM}
   * and {@code RESUME_EPOCH}.
   */
  public static Map<String, String> attemptVariables(LaunchRequest request) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ATTEMPT, Integer.toString(LaunchValidation.attempt(request)));
    env.put(
        CHECKPOINT_EVERY_EPOCHS, Integer.toString(request.spec().submitted().checkpointInterval()));
    CheckpointSaved from = LaunchValidation.resumeFrom(request);
    if (from != null) {
      env.put(RESUME_FROM, from.uri());
      env.put(RESUME_EPOCH, Integer.toString(from.epoch()));
    }
    return env;
  }

  /** The name under which the trainer finds its callback token (a Secret key on Kubernetes). */
  public static final String CALLBACK_TOKEN = "CALLBACK_TOKEN";

  /**
   * The seed's variables for one job except the token, in a fixed order: shared by the local and
   * the Kubernetes launcher so both runtimes hand trainers the same contract.
   */
  public static Map<String, String> jobVariables(JobSpec spec, String backendBaseUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JOB_ID", Long.toString(spec.jobId()));
    env.put("TRACE_ID", spec.traceId());
    env.put("BACKEND_BASE_URL", backendBaseUrl);
    env.put("DATASET_ID", spec.submitted().qualifiedDatasetId());
    env.put("MODEL_NAME", spec.submitted().modelName());
    env.put("EPOCHS", Integer.toString(spec.submitted().epochs()));
    env.put("BATCH_SIZE", Integer.toString(spec.submitted().batchSize()));
    // Plain notation ("0.0001", not "1.0E-4") reads the same in every language's float parser.
    env.put(
        "LEARNING_RATE",
        BigDecimal.valueOf(spec.submitted().learningRate()).stripTrailingZeros().toPlainString());
    env.put("PROJECT_ID", spec.submitted().projectId());
    env.put("FRAMEWORK", spec.submitted().framework());
    env.put("HYPERPARAMETERS", hyperparametersJson(spec.submitted().hyperparameters()));
    return env;
  }

  private static String hyperparametersJson(Map<String, Object> hyperparameters) {
    try {
      return JSON.writeValueAsString(hyperparameters == null ? Map.of() : hyperparameters);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("hyperparameters cannot be written as JSON", e);
    }
  }
}
