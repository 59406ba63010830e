package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import java.util.function.Consumer;

/**
 * A job of the dev stack's scripted trainer, as the end-to-end tests submit it: two short epochs on
 * the demo dataset unless {@code customise} changes the body (its modes: {@code silent}, {@code
 * crash}, {@code hang_after}, in the hyperparameters).
 */
final class ScriptedJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScriptedJobs() {}

  /** Submits the job; returns its id. */
  static long submit(ApiClient api, Consumer<ObjectNode> customise) {
    ObjectNode job = JSON.createObjectNode();
    job.put("framework", "scripted");
    job.put("model_name", "e2e-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", 2);
    job.put("batch_size", 8);
    job.put("learning_rate", 0.01);
    job.putObject("hyperparameters").put("seconds_per_epoch", 0.3);
    customise.accept(job);
    JsonNode created = api.submit(job, null);
    assertThat(created.path("status").asText()).isEqualTo("pending");
    return created.path("job_id").asLong();
  }
}
