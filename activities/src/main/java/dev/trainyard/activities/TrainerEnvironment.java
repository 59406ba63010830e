package dev.trainyard.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.workflows.messages.JobSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
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
      Map<String, String> env, JobSpec spec, String token, LocalLauncherConfig config) {
    env.keySet().removeIf(name -> name.startsWith(BACKEND_PREFIX));
    env.putAll(config.extraEnvironment());
    env.putAll(jobVariables(spec, config.backendBaseUrl()));
    env.put(CALLBACK_TOKEN, token);
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
