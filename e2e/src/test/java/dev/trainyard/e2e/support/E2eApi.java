package dev.trainyard.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiUnreachableException;
import java.time.Duration;

/**
 * The user API as the suite calls it: through the project's one client ({@link ApiClient}, the
 * CLI's), as a user's tool would, and with the job the suite submits.
 */
public final class E2eApi {
  public static final ObjectMapper JSON = new ObjectMapper();

  private E2eApi() {}

  /** The project the suite's jobs belong to. */
  public static final String PROJECT = "e2e";

  /** A client that sends {@code apiKey} and waits up to 10 s for each answer. */
  public static ApiClient client(String apiUrl, String apiKey) {
    return new ApiClient(apiUrl, JSON, Duration.ofSeconds(10), apiKey);
  }

  /** A scripted-trainer job; {@code hyperparameters} choose its behaviour (see its README). */
  public static ObjectNode scriptedJob(int epochs, double secondsPerEpoch) {
    ObjectNode job =
        JSON.createObjectNode()
            .put("framework", "scripted")
            .put("model_name", "e2e-net")
            .put("dataset_id", "e2e-shapes")
            .put("epochs", epochs)
            .put("batch_size", 8)
            .put("learning_rate", 0.01)
            .put("project_id", PROJECT)
            .put("heartbeat_timeout_seconds", 120)
            .put("startup_timeout_seconds", 120)
            .put("cancel_grace_seconds", 10);
    job.putObject("hyperparameters").put("seconds_per_epoch", secondsPerEpoch);
    return job;
  }

  /** The status the API answers a cancel of {@code jobId} with. */
  public static int cancel(ApiClient api, long jobId) {
    return api.send("POST", "/v1/jobs/" + jobId + "/cancel", "").status();
  }

  /**
   * True when the API answers its user API (used to wait for a (re)started API process); a 401 from
   * a client without a key counts: the API is up and checking keys.
   */
  public static boolean answers(ApiClient api) {
    try {
      int status = api.send("GET", "/v1/jobs?limit=1", null).status();
      return status == 200 || (status == 401 && !api.hasKey());
    } catch (ApiUnreachableException e) {
      return false;
    }
  }
}
