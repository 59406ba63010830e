package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The trainer's callbacks: accepted ones persist and signal, rejected ones change nothing. */
class CallbackTest extends ApiTest {
  private long jobId;
  private String traceId;

  @BeforeEach
  void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
  }

  private Http.Reply call(String endpoint, String body) {
    return http()
        .post(
            "/v1/jobs/" + jobId + "/" + endpoint,
            body,
            "Authorization",
            Tokens.bearer(Tokens.valid(jobId)));
  }

  private Map<String, Object> heartbeat() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("epoch", 2);
    body.put("total_epochs", 3);
    body.put("step", 40);
    body.put("total_steps", 100);
    body.put("progress", 66.5);
    body.put("metrics", Map.of("loss", 0.42, "mAP50", 0.61));
    return body;
  }

  private Map<String, Object> event() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("level", "warning");
    body.put("event_type", "checkpoint_saved");
    body.put("message", "saved epoch 2");
    body.put("data", Map.of("path", "s3://bucket/job/last.pt"));
    return body;
  }

  private Map<String, Object> done() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("status", "succeeded");
    body.put("error", null);
    body.put("final_metrics", Map.of("mAP50", 0.7));
    body.put("artifacts", Map.of("best", "s3://bucket/best.pt"));
    body.put("mlflow_run_id", "run-1");
    body.put("training_time_seconds", 120);
    return body;
  }

  @Test
  void heartbeatPersistsProgressAndMetricsAndSignals() {
    Http.Reply reply = call("heartbeat", Http.json(heartbeat()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"status\":\"ok\",\"should_continue\":true}");
    JsonNode job = http().get("/v1/jobs/" + jobId).json();
    assertThat(job.get("current_epoch").asInt()).isEqualTo(2);
    assertThat(job.get("progress").asDouble()).isEqualTo(66.5);
    assertThat(job.get("last_heartbeat_at").isNull()).isFalse();
    JsonNode metrics = http().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics");
    assertThat(metrics).hasSize(1);
    assertThat(metrics.get(0).get("epoch").asInt()).isEqualTo(2);
    assertThat(metrics.get(0).get("step").asInt()).isEqualTo(40);
    assertThat(metrics.get(0).get("metrics").get("loss").asDouble()).isEqualTo(0.42);
    assertThat(awaitSignals(jobId, 1))
        .singleElement()
        .satisfies(
            signal -> {
              TrainerCallback callback = (TrainerCallback) signal;
              assertThat(callback.kind()).isEqualTo(TrainerCallback.Kind.HEARTBEAT);
              assertThat(callback.epoch()).isEqualTo(2);
              assertThat(callback.progress()).isEqualTo(66.5);
            });
  }

  @Test
  void seedStyleHeartbeatWithNullsAndNoMetricsKeepsProgressAndAddsNoMetricsRow() {
    call("heartbeat", Http.json(heartbeat()));
    Map<String, Object> sparse = new LinkedHashMap<>();
    sparse.put("trace_id", traceId);
    sparse.put("epoch", null);
    sparse.put("progress", null);
    sparse.put("metrics", Map.of());
    assertThat(call("heartbeat", Http.json(sparse)).status()).isEqualTo(200);
    assertThat(http().get("/v1/jobs/" + jobId).json().get("current_epoch").asInt()).isEqualTo(2);
    assertThat(http().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics")).hasSize(1);
    assertThat(awaitSignals(jobId, 2)).hasSize(2);
  }

  @Test
  void aRunningJobsHeartbeatsAreAllPersistedButSignalledAtMostOncePerInterval() {
    STACK.jdbi.useHandle(
        h -> h.execute("UPDATE training_jobs SET status = 'running' WHERE id = ?", jobId));
    for (int i = 0; i < 5; i++) {
      assertThat(call("heartbeat", Http.json(heartbeat())).status()).isEqualTo(200);
    }
    assertThat(call("event", Http.json(event())).status()).isEqualTo(200);

    assertThat(http().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics")).hasSize(5);
    // one signal for six callbacks, and it stays one: the workflow reads last_callback_at instead
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofSeconds(1))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> signals(jobId).size() == 1);
    Instant lastCallback =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery("SELECT last_callback_at FROM training_jobs WHERE id = :id")
                    .bind("id", jobId)
                    .mapTo(Instant.class)
                    .one());
    assertThat(lastCallback).isAfter(Instant.now().minusSeconds(30));
  }

  @Test
  void shouldContinueTurnsFalseAfterCancel() {
    assertThat(call("heartbeat", Http.json(heartbeat())).json().get("should_continue").asBoolean())
        .isTrue();
    assertThat(http().post("/v1/jobs/" + jobId + "/cancel", "").status()).isEqualTo(202);
    assertThat(call("heartbeat", Http.json(heartbeat())).json().get("should_continue").asBoolean())
        .isFalse();
  }

  @Test
  void eventIsStoredAsTrainerEventAndSignalled() {
    Http.Reply reply = call("event", Http.json(event()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"status\":\"ok\"}");
    JsonNode events = http().get("/v1/jobs/" + jobId + "/events").json().get("events");
    JsonNode stored = events.get(events.size() - 1);
    assertThat(stored.get("source").asText()).isEqualTo("trainer");
    assertThat(stored.get("level").asText()).isEqualTo("warning");
    assertThat(stored.get("event_type").asText()).isEqualTo("checkpoint_saved");
    assertThat(stored.get("trace_id").asText()).isEqualTo(traceId);
    assertThat(stored.get("data").get("path").asText()).isEqualTo("s3://bucket/job/last.pt");
    assertThat(awaitSignals(jobId, 1))
        .singleElement()
        .satisfies(
            s -> assertThat(((TrainerCallback) s).kind()).isEqualTo(TrainerCallback.Kind.EVENT));
  }

  @Test
  void donePersistsTheReportAndSignals() {
    Http.Reply reply = call("done", Http.json(done()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"status\":\"ok\"}");
    JsonNode job = http().get("/v1/jobs/" + jobId).json();
    assertThat(job.get("artifacts").get("best").asText()).isEqualTo("s3://bucket/best.pt");
    assertThat(job.get("final_metrics").get("mAP50").asDouble()).isEqualTo(0.7);
    assertThat(job.get("mlflow_run_id").asText()).isEqualTo("run-1");
    assertThat(job.get("training_time_seconds").asInt()).isEqualTo(120);
    JsonNode metrics = http().get("/v1/jobs/" + jobId + "/metrics").json().get("metrics");
    assertThat(metrics.get(metrics.size() - 1).get("epoch").asInt()).isEqualTo(-1);
    assertThat(awaitSignals(jobId, 1))
        .singleElement()
        .satisfies(
            s -> {
              TrainerDone trainerDone = (TrainerDone) s;
              assertThat(trainerDone.succeeded()).isTrue();
              assertThat(trainerDone.error()).isNull();
            });
  }

  @Test
  void failedDoneCarriesTheError() {
    Map<String, Object> failed = done();
    failed.put("status", "failed");
    failed.put("error", "CUDA out of memory");
    assertThat(call("done", Http.json(failed)).status()).isEqualTo(200);
    assertThat(http().get("/v1/jobs/" + jobId).json().get("error_message").asText())
        .isEqualTo("CUDA out of memory");
    TrainerDone signal = (TrainerDone) awaitSignals(jobId, 1).get(0);
    assertThat(signal.succeeded()).isFalse();
    assertThat(signal.error()).isEqualTo("CUDA out of memory");
  }

  @Test
  void identicalDoneIsOkAgainEvenAfterTheJobEndedButADifferentOneIs409() {
    assertThat(call("done", Http.json(done())).status()).isEqualTo(200);
    setStatus(jobId, "succeeded");
    JobSnapshot before = snapshot(jobId);

    Http.Reply retry = call("done", Http.json(done()));
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(snapshot(jobId)).isEqualTo(before);

    Map<String, Object> different = done();
    different.put("training_time_seconds", 121);
    assertProblem(call("done", Http.json(different)), 409);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void secondDifferentDoneWhileRunningIs409() {
    assertThat(call("done", Http.json(done()))).extracting(Http.Reply::status).isEqualTo(200);
    JobSnapshot before = snapshot(jobId);
    Map<String, Object> different = done();
    different.put("status", "failed");
    assertThat(assertProblem(call("done", Http.json(different)), 409).get("detail").asText())
        .contains("different done");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void callbackAfterTheWorkflowClosedIs409AndRolledBack() {
    assertThat(call("done", Http.json(done())).status()).isEqualTo(200);
    // the fake workflow ends on done while the row is not terminal yet: the signal finds no run
    org.awaitility.Awaitility.await()
        .until(
            () -> {
              JobSnapshot before = snapshot(jobId);
              Http.Reply reply = call("heartbeat", Http.json(heartbeat()));
              return reply.status() == 409 && snapshot(jobId).equals(before);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"succeeded", "failed", "cancelled"})
  void everyCallbackAfterTheJobEndedIs409AndChangesNothing(String terminal) {
    setStatus(jobId, terminal);
    JobSnapshot before = snapshot(jobId);
    assertProblem(call("heartbeat", Http.json(heartbeat())), 409);
    assertProblem(call("event", Http.json(event())), 409);
    assertProblem(call("done", Http.json(done())), 409);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void traceMismatchIs400AndChangesNothing() {
    JobSnapshot before = snapshot(jobId);
    for (Map<String, Object> body : List.of(heartbeat(), event(), done())) {
      body.put("trace_id", "00000000-0000-0000-0000-000000000000");
      String endpoint =
          body.containsKey("level") ? "event" : body.containsKey("status") ? "done" : "heartbeat";
      assertThat(assertProblem(call(endpoint, Http.json(body)), 400).get("detail").asText())
          .isEqualTo("Trace ID mismatch");
    }
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void unknownJobIs404() {
    long missing = 987_654_321L;
    Http.Reply reply =
        http()
            .post(
                "/v1/jobs/" + missing + "/heartbeat",
                Http.json(heartbeat()),
                "Authorization",
                Tokens.bearer(Tokens.valid(missing)));
    assertProblem(reply, 404);
  }

  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "heartbeat|progress|101|must be between 0 and 100",
        "heartbeat|progress|-1|must be between 0 and 100",
        "heartbeat|epoch|-1|must not be negative",
        "heartbeat|step|-3|must not be negative",
        "heartbeat|trace_id|null|is required",
        "heartbeat|epoch|\"1\"|must be an integer",
        "heartbeat|progress|\"50\"|must be a number",
        "heartbeat|metrics|[1]|must be a JSON object",
        "heartbeat|trace_id|7|must be a string",
        "event|level|\"debug\"|must be one of info, warning, error",
        "event|level|null|is required",
        "event|event_type|\"\"|is required",
        "event|message|null|is required",
        "event|message|\"a\\u0000b\"|must not contain NUL characters",
        "event|data|\"text\"|must be a JSON object",
        "done|status|\"ok\"|must be succeeded or failed",
        "done|status|null|is required",
        "done|training_time_seconds|-5|must not be negative",
        "done|training_time_seconds|1.5|must be an integer",
        "done|artifacts|{\"best\":1}|must be a string",
      })
  void invalidBodiesAre400NamingTheFieldAndChangeNothing(
      String endpoint, String field, String raw, String reason) {
    Map<String, Object> body =
        switch (endpoint) {
          case "heartbeat" -> heartbeat();
          case "event" -> event();
          default -> done();
        };
    body.remove(field);
    String json = "{\"" + field + "\":" + raw + "," + Http.json(body).substring(1);
    JobSnapshot before = snapshot(jobId);

    JsonNode problem = assertProblem(call(endpoint, json), 400);

    String errorField = field.equals("artifacts") ? "artifacts.best" : field;
    assertThat(problem.get("errors").get(errorField).asText())
        .as(problem.toString())
        .isEqualTo(reason);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void malformedJsonIs400() {
    JobSnapshot before = snapshot(jobId);
    for (String body : new String[] {"{\"trace_id\": ", "", "[]", "null"}) {
      assertProblem(call("heartbeat", body), 400);
    }
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void extraFieldsAreIgnoredLikeTheSeedsServerDoes() {
    String body =
        "{\"trace_id\":\"" + traceId + "\",\"epoch\":2,\"sent_at\":\"2026-11-27T08:00:00Z\"}";
    assertThat(call("heartbeat", body).status()).isEqualTo(200);
  }

  @Test
  void nanMetricsAreRefusedNotStoredAsTheStringNaN() {
    // Python's json module writes NaN for a diverged loss; JSON has no NaN, and stored it came
    // back as the string "NaN" (issue 12)
    String body = "{\"trace_id\":\"" + traceId + "\",\"epoch\":1,\"metrics\":{\"loss\":NaN}}";
    JobSnapshot before = snapshot(jobId);
    JsonNode problem = assertProblem(call("heartbeat", body), 400);
    assertThat(problem.get("errors").get("metrics").asText())
        .isEqualTo("must contain only finite JSON numbers");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void oversizedCallbackBodiesAre413() {
    Map<String, Object> big = event();
    big.put("message", "x".repeat(256 * 1024));
    JobSnapshot before = snapshot(jobId);
    assertProblem(call("event", Http.json(big)), 413);
    byte[] bytes = Http.json(big).getBytes(StandardCharsets.UTF_8);
    assertProblem(
        http()
            .postChunked(
                "/v1/jobs/" + jobId + "/event",
                bytes,
                "Authorization",
                Tokens.bearer(Tokens.valid(jobId))),
        413);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }
}
