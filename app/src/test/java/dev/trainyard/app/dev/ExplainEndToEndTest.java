package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.CliRunner;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.client.TemporalClients;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainyard explain} and {@code GET /v1/jobs/{id}/explain} on the whole dev stack, with real
 * jobs of the scripted trainer ending in every failure reason the workflow records: the words, the
 * timeline, and what the job waits for while it runs (its next deadline, or its launch's retries).
 */
class ExplainEndToEndTest {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDirectory;
  @TempDir static Path home;
  static DevStack stack;
  static ApiClient api;
  static CliRunner shell;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
    shell =
        new CliRunner(
            Map.of(
                "HOME",
                home.toString(),
                DevSettings.DATA_DIR_ENV,
                dataDirectory.toString(),
                "TRAINYARD_API",
                stack.apiUrl()),
            dataDirectory);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Also the CLI's output, by job id and by the start of the trace id. */
  @Test
  void aRunningJobNamesItsHeartbeatDeadlineAndACancelEndsItWithoutForce() throws Exception {
    long id =
        submit(
            job -> {
              job.put("epochs", 200);
              job.put("heartbeat_timeout_seconds", 30);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    await().atMost(JOB_TIMEOUT).until(() -> api.job(id).path("current_epoch").asInt() >= 1);

    JsonNode running = api.explain(id, null, null);

    assertThat(running.get("summary").asText()).startsWith("running: epoch ");
    JsonNode waiting = running.get("waiting_for");
    assertThat(waiting.get("kind").asText()).isEqualTo("heartbeat");
    assertThat(waiting.get("source").asText()).isEqualTo("workflow");
    assertThat(waiting.get("then").asText()).isEqualTo("heartbeat_timeout");
    assertThat(waiting.get("text").asText()).contains("silence for 30 s fails the job");
    // heartbeats every 0.5 s: the deadline is 30 s after one of the last few
    Instant lastHeartbeat = Instant.parse(api.job(id).get("last_heartbeat_at").asText());
    assertThat(Duration.between(lastHeartbeat, Instant.parse(waiting.get("deadline_at").asText())))
        .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(31));
    assertThat(waiting.get("seconds_left").asDouble()).isBetween(25.0, 30.0);
    assertThat(running.at("/temporal/workflow_status").asText()).isEqualTo("running");
    assertThat(running.at("/temporal/pending_activities").findValuesAsText("activity_type"))
        .containsExactly("AwaitExit");
    assertThat(statuses(running)).containsExactly("pending", "queued", "running");
    assertThat(running.at("/timeline/2/current").asBoolean()).isTrue();
    assertThat(running.at("/log/lines").size()).isPositive();

    CliRunner.Result byId = shell.run("explain", Long.toString(id));
    String trace = running.get("trace_id").asText();
    CliRunner.Result byTrace = shell.run("explain", trace.substring(0, 13).toUpperCase());
    CliRunner.Result asJson = shell.run("explain", Long.toString(id), "--json");

    assertThat(byId.exitCode()).as(byId.all()).isZero();
    assertThat(byId.out())
        .startsWith("job " + id + ": running: epoch ")
        .contains("\n  trace id     " + trace + "\n")
        .contains("\ntimeline\n  pending ")
        .contains("\nwaiting for  the trainer's next callback (the last came ")
        .containsPattern("\n  deadline   \\S+, in [0-9.]+ s \\(then: heartbeat_timeout\\)")
        .contains("\ntemporal     workflow running, ")
        .contains("\n  activity   AwaitExit (watch the trainer until it exits): started, attempt 1")
        .contains("\nlast events\n  ")
        .contains("\nlast log lines\n  ")
        .contains("\n  Temporal UI  none (the API's dashboard.temporalUiUrl is not set)");
    assertThat(byTrace.exitCode()).as(byTrace.all()).isZero();
    assertThat(byTrace.out()).startsWith("job " + id + ": running: ");
    assertThat(JSON.readTree(asJson.out()).get("job_id").asLong()).isEqualTo(id);

    api.cancel(id);
    JsonNode ended = awaitEnd(id);

    assertThat(ended.get("failure_reason").asText()).isEqualTo("cancelled_by_user");
    assertThat(ended.get("reason").asText())
        .isEqualTo(
            // the trainer's done said "cancelled", and a job keeps the first message it gets
            "Cancelled on request and stopped cleanly, without force. The message was: “cancelled”.");
    assertThat(statuses(ended)).containsExactly("pending", "queued", "running", "cancelled");
    assertThat(ended.at("/timeline/3/reason").asText()).isEqualTo("cancelled_by_user");
  }

  @Test
  void aSilentTrainerFailsWithHeartbeatTimeoutAndNothingIsAwaitedOnceTheWorkflowCloses() {
    long id =
        submit(
            job -> {
              job.put("epochs", 100);
              job.put("heartbeat_timeout_seconds", 3);
              job.put("cancel_grace_seconds", 2);
              job.putObject("hyperparameters")
                  .put("mode", "hang_after")
                  .put("hang_after", 1)
                  .put("seconds_per_epoch", 0.5);
            });

    awaitEnd(id);
    JsonNode closed =
        awaitExplained(id, e -> !"running".equals(e.at("/temporal/workflow_status").asText()));

    assertThat(closed.get("summary").asText()).startsWith("failed (heartbeat_timeout) after ");
    assertThat(closed.get("reason").asText())
        .startsWith(
            "The trainer stopped sending heartbeats for longer than the heartbeat timeout (3 s)")
        .endsWith("The message was: “no callback from the trainer for 3 s”.");
    assertThat(statuses(closed)).containsExactly("pending", "queued", "running", "failed");
    assertThat(closed.at("/timeline/2/seconds").asDouble()).isGreaterThanOrEqualTo(3.0);
    assertThat(closed.at("/timeline/3/seconds").isNull()).isTrue();
    assertThat(closed.at("/timeline/3/reason").asText()).isEqualTo("heartbeat_timeout");
    assertThat(closed.at("/waiting_for/kind").asText()).isEqualTo("nothing");
    assertThat(closed.at("/temporal/workflow_status").asText()).isEqualTo("completed");
    assertThat(closed.at("/log/lines").toString()).contains("epoch 2/100");

    CliRunner.Result printed = shell.run("explain", Long.toString(id));
    assertThat(printed.out())
        .contains("\n  The trainer stopped sending heartbeats")
        .contains("\n  failed     ")
        .contains("\nwaiting for  nothing: the job has ended and its workflow has closed")
        .contains("\ntemporal     workflow completed, ");
  }

  @Test
  void aTrainerThatNeverCallsBackWaitsForItsStartupDeadlineThenFails() {
    long id =
        submit(
            job -> {
              job.put("startup_timeout_seconds", 6);
              job.putObject("hyperparameters").put("mode", "silent");
            });
    JsonNode queued = awaitExplained(id, e -> "queued".equals(e.get("status").asText()));

    assertThat(queued.get("summary").asText())
        .startsWith("queued: the trainer was launched ")
        .endsWith(" ago and has not called back yet");
    assertThat(queued.at("/waiting_for/kind").asText()).isEqualTo("startup");
    assertThat(queued.at("/waiting_for/then").asText()).isEqualTo("startup_timeout");
    Instant launched = Instant.parse(api.job(id).get("queued_at").asText());
    assertThat(
            Duration.between(
                    launched, Instant.parse(queued.at("/waiting_for/deadline_at").asText()))
                .toMillis())
        .isCloseTo(6_000L, within(1_000L));

    JsonNode ended = awaitEnd(id);
    assertThat(ended.get("failure_reason").asText()).isEqualTo("startup_timeout");
    assertThat(ended.get("reason").asText())
        .startsWith("The trainer never called back within the startup timeout (6 s).");
    assertThat(statuses(ended)).containsExactly("pending", "queued", "failed");
  }

  @Test
  void aCrashedTrainerFailsWithTrainerExitedAndItsLastLogLines() {
    long id = submit(job -> job.putObject("hyperparameters").put("mode", "crash"));

    JsonNode ended = awaitEnd(id);

    assertThat(ended.get("failure_reason").asText()).isEqualTo("trainer_exited");
    assertThat(ended.get("reason").asText())
        .startsWith(
            "The trainer process ended without reporting a result (it crashed or was killed).")
        .contains("exit code 3");
    assertThat(ended.at("/log/lines").toString()).contains("simulated crash after epoch 1");
    assertThat(statuses(ended)).containsExactly("pending", "queued", "running", "failed");
  }

  @Test
  void aTrainerThatReportsFailureIsExplainedWithItsMessageAndEvents() {
    long id = submit(job -> job.put("dataset_id", "no-such-dataset"));

    JsonNode ended = awaitEnd(id);

    assertThat(ended.get("failure_reason").asText()).isEqualTo("trainer_reported_failure");
    assertThat(ended.get("reason").asText())
        .isEqualTo(
            "The trainer reported that training failed. The message was: “dataset"
                + " 'demo/no-such-dataset' not found”.");
    assertThat(ended.get("last_events").findValuesAsText("event_type"))
        .contains("dataset_not_found");
  }

  /**
   * A regular file where the worker makes the job's folder: every launch attempt fails, and while
   * they are retried explain shows the launch activity's attempts and its last failure.
   */
  @Test
  void aLaunchThatKeepsFailingShowsItsAttemptsThenFailsWithLaunchFailed() throws Exception {
    long next = nextJobId();
    Files.createDirectories(stack.settings().jobsDirectory());
    Files.writeString(stack.settings().jobsDirectory().resolve("job-" + next), "in the way");
    long id = submit(job -> {});
    assertThat(id).as("the job id this test predicted").isEqualTo(next);

    JsonNode retrying =
        awaitExplained(
            id,
            e ->
                e.at("/temporal/pending_activities/0/attempt").asInt() >= 2
                    || ended(e.get("status")));

    assertThat(retrying.get("status").asText()).isEqualTo("pending");
    JsonNode launch = retrying.at("/temporal/pending_activities/0");
    assertThat(launch.get("activity_type").asText()).isEqualTo("Launch");
    assertThat(launch.get("what").asText()).isEqualTo("launch the trainer");
    assertThat(launch.get("maximum_attempts").asInt()).isEqualTo(5);
    assertThat(launch.get("last_failure").asText())
        .startsWith("cannot prepare the trainer's job directory");
    assertThat(retrying.at("/waiting_for/kind").asText()).isEqualTo("launch");
    assertThat(retrying.at("/waiting_for/text").asText())
        .startsWith("the worker to launch the trainer (attempt ")
        .contains(" of 5); the last attempt failed: cannot prepare the trainer's job directory");
    CliRunner.Result printed = shell.run("explain", Long.toString(id));
    assertThat(printed.out())
        .containsPattern("\n  activity   Launch \\(launch the trainer\\): \\w+, attempt \\d of 5");

    JsonNode ended = awaitEnd(id);
    assertThat(ended.get("failure_reason").asText()).isEqualTo("launch_failed");
    assertThat(ended.get("reason").asText())
        .startsWith("The trainer could not be started")
        .contains("could not launch the trainer: ");
    assertThat(statuses(ended)).containsExactly("pending", "failed");
  }

  @Test
  void aJobPastItsMaxRuntimeWaitsForThatDeadlineThenFails() {
    long id =
        submit(
            job -> {
              job.put("epochs", 100);
              job.put("max_runtime_seconds", 6);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    JsonNode running = awaitExplained(id, e -> "running".equals(e.get("status").asText()));

    assertThat(running.at("/waiting_for/kind").asText()).isEqualTo("runtime");
    assertThat(running.at("/waiting_for/then").asText()).isEqualTo("deadline_exceeded");

    JsonNode ended = awaitEnd(id);
    assertThat(ended.get("failure_reason").asText()).isEqualTo("deadline_exceeded");
    assertThat(ended.get("reason").asText())
        .startsWith("The job ran longer than its maximum runtime (6 s) and was stopped.");
  }

  @Test
  void aCancelTheTrainerIgnoresWaitsForTheGraceThenForcesTheStop() {
    long id =
        submit(
            job -> {
              job.put("epochs", 100);
              job.put("cancel_grace_seconds", 6);
              job.putObject("hyperparameters")
                  .put("mode", "hang_after")
                  .put("hang_after", 1)
                  .put("seconds_per_epoch", 0.5);
            });
    // after epoch 1's heartbeat the trainer never calls again, so no reply can tell it to stop
    await().atMost(JOB_TIMEOUT).until(() -> api.job(id).path("current_epoch").asInt() >= 1);
    api.cancel(id);

    JsonNode cancelling =
        awaitExplained(
            id,
            e ->
                "cancel_grace".equals(e.at("/waiting_for/kind").asText())
                    || ended(e.get("status")));

    assertThat(cancelling.at("/waiting_for/kind").asText())
        .as(cancelling.toPrettyString())
        .isEqualTo("cancel_grace");
    assertThat(cancelling.at("/waiting_for/then").asText()).isEqualTo("cancel_forced");
    assertThat(cancelling.get("summary").asText()).contains("; a cancel was requested ");
    JsonNode ended = awaitEnd(id);
    assertThat(ended.get("failure_reason").asText())
        .as(ended.toPrettyString())
        .isEqualTo("cancel_forced");
    assertThat(ended.get("reason").asText())
        .startsWith(
            "Cancelled on request; the trainer did not stop within the cancel grace (6 s) and"
                + " was stopped by force.");
  }

  @Test
  void aWorkflowCancelledInTemporalIsExplainedAsSuch() {
    long id =
        submit(
            job -> {
              job.put("epochs", 200);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    awaitExplained(id, e -> "running".equals(e.get("status").asText()));
    WorkflowClient temporal = TemporalClients.connect(stack.temporalTarget(), DevStack.NAMESPACE);
    try {
      temporal.newUntypedWorkflowStub(TaskQueues.workflowId(id)).cancel();

      JsonNode ended = awaitEnd(id);

      assertThat(ended.get("failure_reason").asText()).isEqualTo("workflow_cancelled");
      assertThat(ended.get("reason").asText())
          .startsWith(
              "The job's workflow was cancelled or terminated in Temporal, outside Trainyard.");
    } finally {
      temporal.getWorkflowServiceStubs().shutdown();
    }
  }

  @Test
  void aSucceededJobHasNoReasonAndAnUnknownTracePrefixIsOneLine() {
    long id = submit(job -> job.put("epochs", 1));

    JsonNode ended = awaitEnd(id);
    CliRunner.Result unknown = shell.run("explain", "zzzz-no-such-trace");
    CliRunner.Result hostile = shell.run("explain", "a;b");

    assertThat(ended.get("summary").asText()).startsWith("succeeded after ");
    assertThat(ended.get("reason").isNull()).isTrue();
    assertThat(statuses(ended)).containsExactly("pending", "queued", "running", "succeeded");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.REQUEST_REJECTED);
    assertThat(unknown.err())
        .isEqualTo(
            "error: no job your key can see has a trace id starting with 'zzzz-no-such-trace'"
                + " (trainyard list --query shows what matches)"
                + System.lineSeparator());
    assertThat(hostile.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  private static long submit(Consumer<ObjectNode> customise) {
    return ScriptedJobs.submit(api, customise);
  }

  /** The explanation once the job has ended. */
  private static JsonNode awaitEnd(long id) {
    return awaitExplained(id, e -> ended(e.get("status")));
  }

  private static JsonNode awaitExplained(long id, Predicate<JsonNode> condition) {
    return await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.explain(id, null, null), condition);
  }

  private static boolean ended(JsonNode status) {
    return List.of("succeeded", "failed", "cancelled").contains(status.asText());
  }

  private static List<String> statuses(JsonNode explained) {
    List<String> statuses = new ArrayList<>();
    explained.get("timeline").forEach(step -> statuses.add(step.get("status").asText()));
    return statuses;
  }

  /** The id the next submit gets (this class submits one job at a time). */
  private static long nextJobId() throws Exception {
    try (Connection db =
            DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.databasePassword());
        ResultSet row =
            db.createStatement()
                .executeQuery(
                    "SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END"
                        + " FROM training_jobs_id_seq")) {
      row.next();
      return row.getLong(1);
    }
  }
}
