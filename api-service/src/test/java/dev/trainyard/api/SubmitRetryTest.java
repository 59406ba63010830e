package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RecordingWorkflow;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A submit's retry policy and checkpoint interval (issue #16): a good one reaches the workflow and
 * the job's row as sent, defaults fill what is left out, and each bad value is refused on its own
 * field; the job view shows the attempts.
 */
class SubmitRetryTest extends ApiTest {

  private static Map<String, Object> withRetry(Map<String, Object> retry) {
    Map<String, Object> job = validJob();
    job.put("retry", retry);
    return job;
  }

  private static SubmittedSpec started(long id) {
    awaitStarted(id);
    return RecordingWorkflow.STARTED.get("training-job-" + id).spec().submitted();
  }

  @Test
  void aGoodPolicyIsAcceptedAndStoredInTheSpec() {
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("max_attempts", 3);
    retry.put("retry_on", List.of("oom_killed", "preempted", "image_pull_failed"));
    retry.put("backoff_seconds", 5);
    retry.put("backoff_multiplier", 1.5);
    retry.put("max_backoff_seconds", 60);
    retry.put("budget_seconds", 3600);
    Map<String, Object> body = withRetry(retry);
    body.put("checkpoint_every_epochs", 2);

    Http.Reply reply = http().post("/v1/jobs", Http.json(body));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    long id = reply.json().get("job_id").asLong();
    SubmittedSpec spec = started(id);
    RetryPolicy expected =
        new RetryPolicy(
            3, List.of("oom_killed", "preempted", "image_pull_failed"), 5, 1.5, 60, 3600);
    assertThat(spec.retry()).isEqualTo(expected);
    assertThat(spec.checkpointEveryEpochs()).isEqualTo(2);
    JsonNode job = http().get("/v1/jobs/" + id).json();
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    assertThat(job.get("max_attempts").asInt()).isEqualTo(3);
    assertThat(job.get("attempts")).isEmpty();
  }

  @Test
  void whatIsLeftOutTakesTheDefaults() {
    Http.Reply bare = http().post("/v1/jobs", Http.json(validJob()));
    Http.Reply partial =
        http().post("/v1/jobs", Http.json(withRetry(Map.of("backoff_seconds", 900))));

    assertThat(bare.status()).as(bare.toString()).isEqualTo(201);
    SubmittedSpec spec = started(bare.json().get("job_id").asLong());
    assertThat(spec.retry())
        .isEqualTo(new RetryPolicy(1, RetryPolicy.DEFAULT_RETRY_ON, 10, 2.0, 600, null));
    assertThat(spec.checkpointEveryEpochs()).isEqualTo(1);
    assertThat(partial.status()).as(partial.toString()).isEqualTo(201);
    // a backoff above the default ceiling raises the ceiling rather than refusing a field not sent
    assertThat(started(partial.json().get("job_id").asLong()).retry())
        .isEqualTo(new RetryPolicy(1, RetryPolicy.DEFAULT_RETRY_ON, 900, 2.0, 900, null));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("max_attempts", 0, "retry.max_attempts", "must be at least 1"),
        Arguments.of("max_attempts", 21, "retry.max_attempts", "must be at most 20"),
        Arguments.of("backoff_seconds", -1, "retry.backoff_seconds", "must be at least 0"),
        Arguments.of("backoff_seconds", 3601, "retry.backoff_seconds", "must be at most 3600"),
        Arguments.of(
            "backoff_multiplier", 0.5, "retry.backoff_multiplier", "must be between 1.0 and 10.0"),
        Arguments.of(
            "backoff_multiplier", 10.5, "retry.backoff_multiplier", "must be between 1.0 and 10.0"),
        Arguments.of(
            "max_backoff_seconds",
            5,
            "retry.max_backoff_seconds",
            "must be at least backoff_seconds (10)"),
        Arguments.of(
            "max_backoff_seconds", 86_401, "retry.max_backoff_seconds", "must be at most 86400"),
        Arguments.of("budget_seconds", 59, "retry.budget_seconds", "must be at least 60"),
        Arguments.of(
            "budget_seconds", 2_592_001, "retry.budget_seconds", "must be at most 2592000"),
        Arguments.of(
            "retry_on",
            List.of("oom_killed", "evicted", "trainer_reported_failure"),
            "retry.retry_on[2]",
            "is never retried: the trainer reported that the job itself failed"),
        Arguments.of(
            "retry_on",
            List.of("cancelled_by_user"),
            "retry.retry_on[0]",
            "is never retried: a cancelled job stays cancelled"),
        Arguments.of(
            "retry_on",
            List.of("deadline_exceeded"),
            "retry.retry_on[0]",
            "is never retried: max_runtime_seconds bounds the whole job, every attempt together"),
        Arguments.of(
            "retry_on",
            List.of("oom_killed", "bad_luck"),
            "retry.retry_on[1]",
            "must be one of " + String.join(", ", RetryPolicy.ALLOWED_RETRY_ON)),
        Arguments.of(
            "retry_on",
            List.of("oom_killed", "oom_killed"),
            "retry.retry_on[1]",
            "appears more than once"),
        Arguments.of("max_retries", 3, "retry.max_retries", "is not a known field"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void eachBadValueIsRefusedOnItsField(String key, Object value, String field, String reason) {
    long jobs = count("training_jobs");
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put(key, value);

    JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(withRetry(retry))), 400);

    assertThat(problem.get("errors").get(field).asText()).as(problem.toString()).isEqualTo(reason);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void aBadCheckpointIntervalIsRefusedOnItsField() {
    for (int bad : new int[] {0, 1001}) {
      Map<String, Object> body = validJob();
      body.put("checkpoint_every_epochs", bad);
      JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(body)), 400);
      assertThat(problem.get("errors").has("checkpoint_every_epochs")).isTrue();
    }
  }

  @Test
  void wrongTypesInTheRetryObjectNameTheField() {
    JsonNode problem =
        assertProblem(
            http().post("/v1/jobs", Http.json(withRetry(Map.of("max_attempts", "3")))), 400);
    assertThat(problem.get("errors").has("retry.max_attempts")).as(problem.toString()).isTrue();
    problem =
        assertProblem(
            http().post("/v1/jobs", Http.json(withRetry(Map.of("max_attempts", 2.5)))), 400);
    assertThat(problem.get("errors").has("retry.max_attempts")).as(problem.toString()).isTrue();
  }

  @Test
  void anIdempotentReplayComparesThePolicyToo() {
    String key = "retry-policy-" + UUID.randomUUID();
    Map<String, Object> body = withRetry(Map.of("max_attempts", 3));
    Http.Reply first = http().post("/v1/jobs", Http.json(body), "Idempotency-Key", key);
    Http.Reply same = http().post("/v1/jobs", Http.json(body), "Idempotency-Key", key);
    Http.Reply other =
        http()
            .post(
                "/v1/jobs",
                Http.json(withRetry(Map.of("max_attempts", 4))),
                "Idempotency-Key",
                key);

    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(same.status()).as(same.toString()).isEqualTo(200);
    assertThat(same.json().get("job_id")).isEqualTo(first.json().get("job_id"));
    assertProblem(other, 409);
  }

  @Test
  void theOpenApiDocumentDescribesThePolicyAndTheAttempts() {
    JsonNode schemas =
        Http.anonymous(APP.getLocalPort())
            .get("/openapi.json")
            .json()
            .path("components")
            .path("schemas");
    JsonNode submit = schemas.path("SubmitJobRequest").path("properties");
    assertThat(submit.path("checkpoint_every_epochs").path("maximum").asInt()).isEqualTo(1000);
    assertThat(submit.path("retry").path("$ref").asText()).endsWith("/RetryPolicy");
    JsonNode retry = schemas.path("RetryPolicy").path("properties");
    assertThat(retry.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "max_attempts",
            "retry_on",
            "backoff_seconds",
            "backoff_multiplier",
            "max_backoff_seconds",
            "budget_seconds");
    assertThat(retry.path("retry_on").path("items").path("enum")).hasSize(9);
    JsonNode view = schemas.path("JobView").path("properties");
    assertThat(view.has("attempt")).isTrue();
    assertThat(view.path("attempts").path("items").path("$ref").asText()).endsWith("/Attempt");
    JsonNode resumed = schemas.path("Attempt").path("properties").path("resumed_from");
    assertThat(resumed.path("nullable").asBoolean()).as(resumed.toString()).isTrue();
    assertThat(resumed.path("allOf").get(0).path("$ref").asText()).endsWith("/ResumedFrom");
  }

  @Test
  void theJobViewListsTheAttemptsAndTheListShowsOnlyTheCurrentOne() {
    JsonNode submitted = submitJob();
    long id = submitted.get("job_id").asLong();
    STACK.jdbi.useHandle(
        h -> {
          h.execute("UPDATE training_jobs SET attempt = 2, status = 'running' WHERE id = ?", id);
          h.execute(
              "INSERT INTO job_attempts (job_id, attempt, started_at, ended_at, cause, message)"
                  + " VALUES (?, 1, '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z', 'oom_killed',"
                  + " 'exit code 137')",
              id);
          h.execute(
              "INSERT INTO job_attempts (job_id, attempt, started_at, resumed_from_uri,"
                  + " resumed_from_epoch) VALUES (?, 2, '2026-01-01T10:05:10Z', ?, 3)",
              id,
              "s3://trainyard/checkpoints/job-" + id + "/attempt-1/last.pt");
        });

    JsonNode job = http().get("/v1/jobs/" + id).json();

    assertThat(job.get("attempt").asInt()).isEqualTo(2);
    assertThat(job.get("max_attempts").asInt()).isEqualTo(1); // the server default
    JsonNode attempts = job.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("attempt").asInt()).isEqualTo(1);
    assertThat(attempts.get(0).get("started_at").asText()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(attempts.get(0).get("ended_at").asText()).isEqualTo("2026-01-01T10:05:00Z");
    assertThat(attempts.get(0).get("cause").asText()).isEqualTo("oom_killed");
    assertThat(attempts.get(0).get("message").asText()).isEqualTo("exit code 137");
    assertThat(attempts.get(0).get("cause_explanation").asText())
        .startsWith("The trainer ran out of memory")
        .endsWith("The message was: “exit code 137”.");
    assertThat(attempts.get(0).get("resumed_from").isNull()).isTrue();
    assertThat(attempts.get(1).get("ended_at").isNull()).isTrue();
    assertThat(attempts.get(1).get("cause").isNull()).isTrue();
    assertThat(attempts.get(1).get("resumed_from").get("uri").asText())
        .isEqualTo("s3://trainyard/checkpoints/job-" + id + "/attempt-1/last.pt");
    assertThat(attempts.get(1).get("resumed_from").get("epoch").asInt()).isEqualTo(3);

    JsonNode listed = http().get("/v1/jobs?q=" + id).json().get("jobs");
    JsonNode row =
        Stream.of(listed)
            .flatMap(l -> java.util.stream.StreamSupport.stream(l.spliterator(), false))
            .filter(j -> j.get("job_id").asLong() == id)
            .findFirst()
            .orElseThrow();
    assertThat(row.get("attempt").asInt()).isEqualTo(2);
    JsonNode explained = http().get("/v1/jobs/" + id + "/explain").json().get("attempts");
    assertThat(explained.get("attempt").asInt()).isEqualTo(2);
    assertThat(explained.get("lines")).hasSize(2);
    assertThat(explained.get("lines").get(0).asText())
        .startsWith("attempt 1 started 2026-01-01T10:00:00Z; ran 5 min and failed (oom_killed)");
    assertThat(explained.get("lines").get(1).asText()).contains("resuming from epoch 3");
    assertThat(row.has("attempts")).isFalse();
    assertThat(row.has("max_attempts")).isFalse();
  }
}
