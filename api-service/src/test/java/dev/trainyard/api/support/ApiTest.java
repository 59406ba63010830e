package dev.trainyard.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.workflows.TaskQueues;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API as it runs in production, on real PostgreSQL and a real Temporal server. */
@ExtendWith(DropwizardExtensionsSupport.class)
public abstract class ApiTest {
  protected static final TestStack STACK = TestStack.get();

  protected static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET));

  protected static Http http() {
    return new Http(APP.getLocalPort());
  }

  /** A complete, valid submit body; tests change one field at a time. */
  protected static Map<String, Object> validJob() {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("framework", "ultralytics");
    job.put("model_name", "yolov8n.pt");
    job.put("dataset_id", "coco128");
    job.put("epochs", 3);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    job.put("project_id", "proj-1");
    job.put("hyperparameters", Map.of("imgsz", 640, "optimizer", "SGD"));
    return job;
  }

  /** Submits a valid job and waits until its workflow runs; returns the reply. */
  protected static JsonNode submitJob() {
    Http.Reply reply = http().post("/v1/jobs", Http.json(validJob()));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode job = reply.json();
    awaitStarted(job.get("job_id").asLong());
    return job;
  }

  protected static void awaitStarted(long jobId) {
    org.awaitility.Awaitility.await()
        .until(() -> RecordingWorkflow.STARTED.containsKey(TaskQueues.workflowId(jobId)));
  }

  /** Waits until the workflow has processed {@code n} signals (delivery is asynchronous). */
  protected static List<Object> awaitSignals(long jobId, int n) {
    org.awaitility.Awaitility.await().until(() -> signals(jobId).size() >= n);
    return signals(jobId);
  }

  protected static List<Object> signals(long jobId) {
    return RecordingWorkflow.signals(TaskQueues.workflowId(jobId));
  }

  protected static long count(String table) {
    return STACK.jdbi.withHandle(
        h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  protected static void setStatus(long jobId, String status) {
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE training_jobs SET status = :s WHERE id = :id")
                .bind("s", status)
                .bind("id", jobId)
                .execute());
  }

  /**
   * Everything a callback or cancel could change about a job: its row, events, metrics, signals.
   */
  protected record JobSnapshot(String row, String events, String metrics, List<Object> signals) {}

  protected static JobSnapshot snapshot(long jobId) {
    return STACK.jdbi.withHandle(
        h ->
            new JobSnapshot(
                h.createQuery("SELECT to_jsonb(t)::text FROM training_jobs t WHERE id = :id")
                    .bind("id", jobId)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null),
                h.createQuery(
                        "SELECT coalesce(jsonb_agg(e ORDER BY e.id), '[]')::text FROM job_events e WHERE job_id = :id")
                    .bind("id", jobId)
                    .mapTo(String.class)
                    .one(),
                h.createQuery(
                        "SELECT coalesce(jsonb_agg(m ORDER BY m.id), '[]')::text FROM training_metrics m WHERE job_id = :id")
                    .bind("id", jobId)
                    .mapTo(String.class)
                    .one(),
                signals(jobId)));
  }

  /** A problem+json reply with this status; returns the document. */
  protected static JsonNode assertProblem(Http.Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    return problem;
  }
}
