package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RecordingWorkflow;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.workflows.messages.RetryPolicy;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code retry.defaultMaxAttempts} is what a submit without its own max_attempts gets. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetryDefaultTest {
  private static final TestStack STACK = TestStack.get();

  static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("retry.defaultMaxAttempts", "3"));

  private static Map<String, Object> job(Map<String, Object> retry) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("framework", "scripted");
    job.put("model_name", "m");
    job.put("dataset_id", "d");
    job.put("epochs", 2);
    job.put("batch_size", 1);
    job.put("learning_rate", 0.1);
    job.put("project_id", "proj-1");
    if (retry != null) {
      job.put("retry", retry);
    }
    return job;
  }

  private static RetryPolicy submitted(Http user, Map<String, Object> body) {
    Http.Reply reply = user.post("/v1/jobs", Http.json(body));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    long id = reply.json().get("job_id").asLong();
    assertThat(user.get("/v1/jobs/" + id).json().get("max_attempts").asInt())
        .isEqualTo(body.containsKey("retry") ? 2 : 3);
    String workflowId = "training-job-" + id;
    Awaitility.await().until(() -> RecordingWorkflow.STARTED.containsKey(workflowId));
    return RecordingWorkflow.STARTED.get(workflowId).spec().submitted().retry();
  }

  @Test
  void theServerDefaultAppliesUnlessTheSubmitSaysOtherwise() {
    Http user = new Http(APP.getLocalPort());

    assertThat(submitted(user, job(null)).maxAttempts()).isEqualTo(3);
    assertThat(submitted(user, job(Map.of("max_attempts", 2))).maxAttempts()).isEqualTo(2);
  }
}
