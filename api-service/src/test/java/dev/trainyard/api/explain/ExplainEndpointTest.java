package dev.trainyard.api.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/{id}/explain} on the real API and PostgreSQL: with Temporal reachable (the
 * stand-in workflow answers the describe and the query), and with Temporal down, where the answer
 * comes from the database and says Temporal could not be asked. The workflow's own words and
 * deadlines, driven by real jobs, are in the app's ExplainEndToEndTest.
 */
class ExplainEndpointTest extends ApiTest {
  private static final Path JOBS = jobsDirectory();

  /** Temporal unreachable; trainer logs under JOBS; links to both UIs configured. */
  private static final DropwizardAppExtension<TrainyardApiConfiguration> DOWN =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "explain-down.",
          ConfigOverride.config("explain-down.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config(
              "explain-down.", "temporal.target", "localhost:" + TestStack.freePort()),
          ConfigOverride.config("explain-down.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("explain-down.", "logs.jobsDirectory", JOBS.toString()),
          ConfigOverride.config(
              "explain-down.", "dashboard.temporalUiUrl", "http://temporal-ui.example:8233/"),
          ConfigOverride.config("explain-down.", "dashboard.mlflowUrl", "http://mlflow.example"));

  private static Http down() {
    return new Http(DOWN.getLocalPort());
  }

  @Test
  void aSubmittedJobWaitsForItsLaunchAndTemporalIsAsked() {
    long id = submitJob().get("job_id").asLong();

    Http.Reply reply = http().get("/v1/jobs/" + id + "/explain");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode explained = reply.json();
    assertThat(explained.get("status").asText()).isEqualTo("pending");
    assertThat(explained.get("summary").asText())
        .startsWith("pending: submitted ")
        .endsWith("the trainer has not been launched yet");
    assertThat(explained.get("reason").isNull()).isTrue();
    assertThat(statuses(explained)).containsExactly("pending");
    assertThat(explained.at("/timeline/0/current").asBoolean()).isTrue();
    assertThat(explained.at("/temporal/reachable").asBoolean()).isTrue();
    assertThat(explained.at("/temporal/problem").isNull()).isTrue();
    assertThat(explained.at("/temporal/workflow_status").asText()).isEqualTo("running");
    assertThat(explained.at("/temporal/history_length").asLong()).isPositive();
    assertThat(explained.at("/waiting_for/kind").asText()).isEqualTo("launch");
    assertThat(explained.at("/waiting_for/source").asText()).isEqualTo("workflow");
    assertThat(explained.at("/log/lines").size()).isZero();
    assertThat(explained.at("/log/note").asText()).contains("not been launched");
    assertThat(explained.at("/links/temporal_ui").isNull()).isTrue(); // none configured here
  }

  @Test
  void withTemporalDownARunningJobIsExplainedFromTheDatabase() throws IOException {
    long id = submitJob().get("job_id").asLong();
    Path log = JOBS.resolve("job-" + id).resolve("trainer.log");
    Files.createDirectories(log.getParent());
    Files.write(log, IntStream.rangeClosed(1, 50).mapToObj(i -> "line " + i).toList());
    Instant lastCallback = moveTo(id, "running", log);

    Http.Reply reply = down().get("/v1/jobs/" + id + "/explain?tail=3&events=2");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode explained = reply.json();
    assertThat(explained.at("/temporal/reachable").asBoolean()).isFalse();
    assertThat(explained.at("/temporal/problem").asText())
        .startsWith("Temporal could not be asked");
    assertThat(explained.at("/temporal/pending_activities").size()).isZero();
    assertThat(statuses(explained)).containsExactly("pending", "queued", "running");
    assertThat(explained.at("/timeline/1/seconds").asDouble()).isCloseTo(20.0, within(0.01));
    assertThat(explained.at("/timeline/2/current").asBoolean()).isTrue();
    assertThat(explained.get("summary").asText())
        .startsWith("running: epoch 2 of 3 (66.7 %), last callback ");
    JsonNode waiting = explained.get("waiting_for");
    assertThat(waiting.get("kind").asText()).isEqualTo("heartbeat");
    assertThat(waiting.get("source").asText()).isEqualTo("database");
    assertThat(waiting.get("then").asText()).isEqualTo("heartbeat_timeout");
    long heartbeatTimeout = JobTimeouts.defaults().heartbeatTimeoutSeconds();
    // the database has microseconds, the deadline rounded milliseconds
    assertThat(Instant.parse(waiting.get("deadline_at").asText()))
        .isBetween(
            lastCallback.plusSeconds(heartbeatTimeout).minusMillis(1),
            lastCallback.plusSeconds(heartbeatTimeout).plusMillis(1));
    assertThat(waiting.get("seconds_left").asDouble()).isBetween(0.0, heartbeatTimeout - 1.0);
    assertThat(waiting.get("text").asText())
        .startsWith("the trainer's next callback (the last came ")
        .contains("silence for " + DurationText.of(heartbeatTimeout) + " fails the job");
    assertThat(explained.at("/log/lines").toString())
        .isEqualTo("[\"line 48\",\"line 49\",\"line 50\"]");
    assertThat(explained.at("/log/note").isNull()).isTrue();
    assertThat(explained.get("last_events").findValuesAsText("event_type"))
        .containsExactly("status_changed", "epoch_completed");
    assertThat(explained.at("/links/temporal_ui").asText())
        .isEqualTo(
            "http://temporal-ui.example:8233/namespaces/default/workflows/training-job-" + id);
    assertThat(explained.at("/links/mlflow_run").isNull()).isTrue(); // no run recorded yet
  }

  @Test
  void aFailedJobSaysWhyInWordsHereAndInTheJobItself() {
    long id = submitJob().get("job_id").asLong();
    moveTo(id, "running", null);
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET status = 'failed', completed_at = now(),"
                    + " failure_reason = 'heartbeat_timeout', mlflow_run_id = 'run 7',"
                    + " error_message = 'no callback from the trainer for 60 s' WHERE id = ?",
                id));

    JsonNode explained = down().get("/v1/jobs/" + id + "/explain").json();
    JsonNode job = down().get("/v1/jobs/" + id).json();

    String words =
        "The trainer stopped sending heartbeats for longer than the heartbeat timeout ("
            + DurationText.of(JobTimeouts.defaults().heartbeatTimeoutSeconds())
            + "): it hung, lost its network, or its machine went away. Its log may say more. The"
            + " message was: “no callback from the trainer for 60 s”.";
    assertThat(explained.get("reason").asText()).isEqualTo(words);
    assertThat(job.get("failure_explanation").asText()).isEqualTo(words);
    assertThat(explained.get("summary").asText()).startsWith("failed (heartbeat_timeout) after ");
    assertThat(explained.at("/waiting_for/kind").asText()).isEqualTo("nothing");
    assertThat(explained.at("/waiting_for/text").asText())
        .isEqualTo(
            "the job has ended (Temporal could not be asked whether its workflow has closed)");
    assertThat(explained.at("/timeline/2/current").asBoolean()).isTrue(); // no change recorded
    assertThat(explained.at("/links/mlflow_run").asText())
        .isEqualTo("http://mlflow.example/#/runs/run%207");
    assertThat(explained.at("/log/note").asText()).contains("not been launched");
  }

  /** Terminated in Temporal, the workflow records nothing: the row stays as it was, forever. */
  @Test
  void aLiveJobWhoseWorkflowWasTerminatedIsSaidToWaitForNothing() {
    long id = submitJob().get("job_id").asLong();
    STACK
        .temporal
        .getWorkflowClient()
        .newUntypedWorkflowStub(TaskQueues.workflowId(id))
        .terminate("explain test");

    JsonNode explained = http().get("/v1/jobs/" + id + "/explain").json();

    assertThat(explained.get("status").asText()).isEqualTo("pending");
    assertThat(explained.at("/temporal/workflow_status").asText()).isEqualTo("terminated");
    assertThat(explained.at("/waiting_for/kind").asText()).isEqualTo("nothing");
    assertThat(explained.at("/waiting_for/text").asText())
        .isEqualTo(
            "the job's record says pending but its workflow has ended (terminated), so"
                + " no deadline will be acted on and the record will not change (terminated in"
                + " Temporal, outside Trainyard?)");
  }

  @Test
  void badCountsAreRefusedNamingTheParameter() {
    long id = submitJob().get("job_id").asLong();

    JsonNode events = assertProblem(http().get("/v1/jobs/" + id + "/explain?events=0"), 400);
    JsonNode tail = assertProblem(http().get("/v1/jobs/" + id + "/explain?tail=x"), 400);
    JsonNode tooMany = assertProblem(http().get("/v1/jobs/" + id + "/explain?tail=10001"), 400);

    assertThat(events.at("/errors/events").asText()).isEqualTo("must be an integer from 1 to 100");
    assertThat(tail.at("/errors/tail").asText()).isEqualTo("must be an integer from 1 to 10000");
    assertThat(tooMany.at("/errors/tail").asText()).isEqualTo("must be an integer from 1 to 10000");
    assertProblem(http().get("/v1/jobs/999999999/explain"), 404);
  }

  /**
   * Moves the job's row to queued (30 s ago) and running (10 s ago), as the job store records it,
   * with its trainer log and a heartbeat 2 s ago; returns the time of that callback.
   */
  private static Instant moveTo(long id, String status, Path log) {
    return STACK.jdbi.withHandle(
        h -> {
          Instant now = h.createQuery("SELECT now()").mapTo(Instant.class).one();
          Instant queued = now.minusSeconds(30);
          Instant running = now.minusSeconds(10);
          Instant callback = now.minusSeconds(2);
          h.createUpdate(
                  "UPDATE training_jobs SET status = :status, queued_at = :queued,"
                      + " started_at = :running, last_callback_at = :callback,"
                      + " last_heartbeat_at = :callback, current_epoch = 2,"
                      + " progress = 66.666, trainer_log = :log WHERE id = :id")
              .bind("status", status)
              .bind("queued", queued)
              .bind("running", running)
              .bind("callback", callback)
              .bind("log", log == null ? null : log.toString())
              .bind("id", id)
              .execute();
          statusEvent(h, id, "pending", "queued", queued);
          statusEvent(h, id, "queued", "running", running);
          h.createUpdate(
                  "INSERT INTO job_events (job_id, trace_id, level, event_type, message)"
                      + " SELECT id, trace_id, 'info', 'epoch_completed', 'Epoch 2/3 completed'"
                      + " FROM training_jobs WHERE id = :id")
              .bind("id", id)
              .execute();
          return callback;
        });
  }

  private static void statusEvent(
      org.jdbi.v3.core.Handle h, long id, String from, String to, Instant at) {
    h.createUpdate(
            "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message, data,"
                + " created_at) SELECT id, trace_id, 'trainyard', 'info', 'status_changed',"
                + " :message, CAST(:data AS jsonb), :at FROM training_jobs WHERE id = :id")
        .bind("message", from + " → " + to)
        .bind("data", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"reason\":null}")
        .bind("at", at)
        .bind("id", id)
        .execute();
  }

  private static List<String> statuses(JsonNode explained) {
    List<String> statuses = new ArrayList<>();
    explained.get("timeline").forEach(step -> statuses.add(step.get("status").asText()));
    return statuses;
  }

  private static Path jobsDirectory() {
    try {
      return Files.createTempDirectory("trainyard-explain-test").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
