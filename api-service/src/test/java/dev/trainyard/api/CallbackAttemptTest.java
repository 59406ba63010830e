package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Callbacks are of one attempt (issue #16): a trainer of an earlier attempt that still runs is
 * refused and changes nothing; the signals say which attempt spoke; a trainer's {@code last}
 * checkpoint reaches the workflow only when it is one the next attempt may resume from.
 */
class CallbackAttemptTest extends ApiTest {
  private long jobId;
  private String traceId;

  @BeforeEach
  void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    setStatus(jobId, "running");
  }

  private void onAttempt(int attempt) {
    STACK.jdbi.useHandle(
        h -> h.execute("UPDATE training_jobs SET attempt = ? WHERE id = ?", attempt, jobId));
  }

  private Http.Reply call(String token, String endpoint, Map<String, Object> body) {
    return http()
        .post(
            "/v1/jobs/" + jobId + "/" + endpoint,
            Http.json(body),
            "Authorization",
            Tokens.bearer(token));
  }

  private Map<String, Object> heartbeat() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("epoch", 2);
    body.put("progress", 40.0);
    body.put("metrics", Map.of("loss", 0.5));
    return body;
  }

  private Map<String, Object> event(String type, Map<String, Object> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("level", "info");
    body.put("event_type", type);
    body.put("message", "saved");
    body.put("data", data);
    return body;
  }

  private Map<String, Object> done() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("status", "succeeded");
    body.put("final_metrics", Map.of("mAP50", 0.7));
    return body;
  }

  private Map<String, Object> checkpoint(Object epoch, Object uri, Object kind) {
    Map<String, Object> data = new HashMap<>();
    data.put("epoch", epoch);
    data.put("uri", uri);
    data.put("kind", kind);
    data.put("bytes", 1234);
    return data;
  }

  private String uri(String rest) {
    return "s3://trainyard/checkpoints/job-" + jobId + "/" + rest;
  }

  @Test
  void aStaleAttemptsCallbacksAreRefusedWith409AndChangeNothing() {
    onAttempt(2);
    String stale = Tokens.ofAttempt(jobId, 1);
    String seedToken = Tokens.valid(jobId); // no claim: attempt 1
    JobSnapshot before = snapshot(jobId);

    for (String token : List.of(stale, seedToken)) {
      // twice each: the second heartbeat's token is remembered and offered to the group commit
      for (int i = 0; i < 2; i++) {
        JsonNode problem = assertProblem(call(token, "heartbeat", heartbeat()), 409);
        assertThat(problem.get("detail").asText())
            .isEqualTo("callback from attempt 1, but job " + jobId + " is on attempt 2");
      }
      assertProblem(
          call(token, "event", event("checkpoint_saved", checkpoint(3, uri("a/last.pt"), "last"))),
          409);
      assertProblem(call(token, "done", done()), 409);
    }
    JsonNode later = assertProblem(call(Tokens.ofAttempt(jobId, 3), "heartbeat", heartbeat()), 409);
    assertThat(later.get("detail").asText()).contains("from attempt 3").contains("on attempt 2");

    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void theCurrentAttemptsCallbacksAreAcceptedAndTheirSignalsCarryTheAttempt() {
    onAttempt(2);
    String current = Tokens.ofAttempt(jobId, 2);

    assertThat(call(current, "heartbeat", heartbeat()).status()).isEqualTo(200);
    assertThat(call(current, "heartbeat", heartbeat()).status()).isEqualTo(200); // group commit
    assertThat(call(current, "done", done()).status()).isEqualTo(200);

    List<Object> signals = awaitSignals(jobId, 2);
    assertThat(signals.get(0)).isInstanceOf(TrainerCallback.class);
    assertThat(((TrainerCallback) signals.get(0)).attempt()).isEqualTo(2);
    assertThat(signals)
        .filteredOn(TrainerDone.class::isInstance)
        .singleElement()
        .satisfies(done -> assertThat(((TrainerDone) done).attempt()).isEqualTo(2));
    assertThat(http().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics"))
        .hasSize(3); // two heartbeats and the final metrics
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "-1", "\"2\"", "2.5", "true", "{}", "[2]"})
  void aBadAttemptClaimIsRefusedWith401(String claim) throws Exception {
    Object value = new com.fasterxml.jackson.databind.ObjectMapper().readValue(claim, Object.class);
    JobSnapshot before = snapshot(jobId);

    JsonNode problem =
        assertProblem(call(Tokens.ofAttempt(jobId, value), "heartbeat", heartbeat()), 401);

    assertThat(problem.get("detail").asText()).isEqualTo("Invalid token: bad attempt");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void aValidLastCheckpointIsSignalledWithTheAttemptInTheSameTransaction() {
    onAttempt(2);
    String current = Tokens.ofAttempt(jobId, 2);
    String uri = uri("attempt-2/last.pt");

    Http.Reply reply =
        call(current, "event", event("checkpoint_saved", checkpoint(3, uri, "last")));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    Awaitility.await()
        .until(() -> signals(jobId).stream().anyMatch(CheckpointSaved.class::isInstance));
    CheckpointSaved saved =
        signals(jobId).stream()
            .filter(CheckpointSaved.class::isInstance)
            .map(CheckpointSaved.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(saved.attempt()).isEqualTo(2);
    assertThat(saved.epoch()).isEqualTo(3);
    assertThat(saved.uri()).isEqualTo(uri);
    assertThat(saved.receivedAtMillis()).isPositive();
  }

  @Test
  void checkpointEventsTheNextAttemptMustNotResumeFromAreStoredButNotSignalled() {
    String token = Tokens.valid(jobId);
    List<Map<String, Object>> refused =
        List.of(
            checkpoint(3, uri("attempt-1/best.pt"), "best"),
            checkpoint(0, uri("attempt-1/last.pt"), "last"),
            checkpoint(2.0, uri("attempt-1/last.pt"), "last"),
            checkpoint("3", uri("attempt-1/last.pt"), "last"),
            checkpoint(3, uri("../job-1/attempt-1/last.pt"), "last"),
            checkpoint(3, uri(""), "last"),
            checkpoint(3, "s3://trainyard/checkpoints/job-" + (jobId + 1) + "/last.pt", "last"),
            checkpoint(3, "file:///tmp/checkpoints/job-" + jobId + "/last.pt", "last"),
            checkpoint(3, "s3://trainyard/datasets/job-" + jobId + "/last.pt", "last"),
            checkpoint(3, 42, "last"),
            checkpoint(3, uri("attempt-1/last.pt"), null),
            // the seed trainer's final report
            Map.of("path", "s3://trainyard/checkpoints/job-" + jobId + "/best.pt"));
    for (Map<String, Object> data : refused) {
      Http.Reply reply = call(token, "event", event("checkpoint_saved", data));
      assertThat(reply.status()).as(data + ": " + reply).isEqualTo(200);
    }
    // a valid checkpoint under another event type is not one either
    assertThat(
            call(token, "event", event("epoch_end", checkpoint(3, uri("a/last.pt"), "last")))
                .status())
        .isEqualTo(200);

    JsonNode events = http().get("/v1/jobs/" + jobId + "/events").json().get("events");
    assertThat(events)
        .filteredOn(e -> "trainer".equals(e.get("source").asText()))
        .hasSize(refused.size() + 1);
    Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> signals(jobId).stream().noneMatch(CheckpointSaved.class::isInstance));
  }
}
