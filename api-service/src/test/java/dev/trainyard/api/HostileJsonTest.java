package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reproductions of issue 12, items 1 and 3: JSON bodies that were accepted and then broke the
 * lists for everyone, or were stored as something else than what was sent. Each is now a 400 naming
 * the field, changes nothing, and the lists keep serving.
 */
class HostileJsonTest extends ApiTest {
  private long jobId;
  private String traceId;
  private String token;

  @BeforeEach
  void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    token = Tokens.valid(jobId);
    // one good heartbeat, so the token is remembered and heartbeats take the fast path
    Http.Reply first = call("heartbeat", "{\"trace_id\":\"" + traceId + "\",\"epoch\":1}");
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    awaitSignals(jobId, 1); // delivered asynchronously: settle it before snapshots are compared
  }

  /** Item 1: a 998-deep hyperparameters object was accepted and broke GET /v1/jobs. */
  @Test
  void deeplyNestedHyperparametersAreRefusedAndTheJobListKeepsServing() {
    long jobs = count("training_jobs");

    Http.Reply reply = http().post("/v1/jobs", submitWithRawHyperparameters(nested(998)));

    JsonNode problem = assertProblem(reply, 400);
    assertThat(problem.get("errors").get("hyperparameters").asText())
        .isEqualTo("must be nested at most 32 levels deep");
    assertThat(count("training_jobs")).isEqualTo(jobs);
    assertServes("/v1/jobs?limit=500");
  }

  /** Item 1: a 999-deep submit answered 503 "retry later", so a retrying client never stopped. */
  @Test
  void aSubmitNested999DeepIs400NotRetryLater() {
    Http.Reply reply = http().post("/v1/jobs", submitWithRawHyperparameters(nested(999)));

    assertThat(assertProblem(reply, 400).get("errors").get("hyperparameters").asText())
        .isEqualTo("must be nested at most 32 levels deep");
  }

  /** Item 1: a trainer's 999-deep event data, metrics or final_metrics broke the job's views. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"heartbeat,metrics", "event,data", "done,final_metrics"})
  void deeplyNestedCallbackObjectsAreRefusedAndTheViewsKeepServing(String endpoint, String field) {
    JobSnapshot before = snapshot(jobId);

    Http.Reply reply = call(endpoint, callbackWithRaw(endpoint, field, nested(999)));

    assertThat(assertProblem(reply, 400).get("errors").get(field).asText())
        .as(reply.toString())
        .isEqualTo("must be nested at most 32 levels deep");
    assertThat(snapshot(jobId)).isEqualTo(before);
    assertServes("/v1/jobs/" + jobId + "/events");
    assertServes("/v1/jobs/" + jobId + "/metrics");
    assertServes("/v1/jobs?limit=500");
  }

  /** Item 3: NaN, Infinity and 1e400 came back as the strings "NaN" and "Infinity". */
  @ParameterizedTest(name = "{0} {1}={2}")
  @CsvSource({
    "submit,hyperparameters,NaN",
    "submit,hyperparameters,Infinity",
    "submit,hyperparameters,-Infinity",
    "submit,hyperparameters,1e400",
    "submit,hyperparameters,-1e400",
    "heartbeat,metrics,NaN",
    "heartbeat,metrics,Infinity",
    "heartbeat,metrics,1e400",
    "event,data,NaN",
    "event,data,Infinity",
    "event,data,1e400",
    "done,final_metrics,NaN",
    "done,final_metrics,Infinity",
    "done,final_metrics,1e400",
  })
  void numbersThatJsonDoesNotHaveAreRefused(String endpoint, String field, String number) {
    assertRefused(
        endpoint, field, "{\"x\":" + number + "}", "must contain only finite JSON numbers");
  }

  /** Item 3: a lone surrogate was stored as "?". */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "submit,hyperparameters",
    "heartbeat,metrics",
    "event,data",
    "done,final_metrics",
    "done,artifacts"
  })
  void aLoneSurrogateIsRefused(String endpoint, String field) {
    assertRefused(
        endpoint, field, "{\"x\":\"a\\ud800b\"}", "must be valid Unicode (no unpaired surrogates)");
  }

  /** Item 3, for the contract's text fields: a lone surrogate in a message or an error. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"event,message", "event,event_type", "done,error", "done,mlflow_run_id"})
  void aLoneSurrogateInATextFieldIsRefused(String endpoint, String field) {
    assertRefused(
        endpoint, field, "\"a\\udc00\"", "must be valid Unicode (no unpaired surrogates)");
  }

  /** Item 3: with duplicate keys the last one won, so this done ended the job failed. */
  @Test
  void duplicateKeysAreRefused() {
    JobSnapshot before = snapshot(jobId);
    String body =
        "{\"trace_id\":\"" + traceId + "\",\"status\":\"succeeded\",\"status\":\"failed\"}";

    JsonNode problem = assertProblem(call("done", body), 400);

    assertThat(problem.get("errors").get("status").asText()).isEqualTo("appears more than once");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"submit,hyperparameters", "heartbeat,metrics", "event,data", "done,final_metrics"})
  void duplicateKeysInsideAFreeFormObjectAreRefused(String endpoint, String field) {
    assertRefused(endpoint, field, "{\"a\":1,\"a\":2}", "has a duplicate key");
  }

  /**
   * Sends {@code raw} as {@code field} (for a nested name, its first part) and expects a 400 that
   * names the field with {@code reason}, and no change.
   */
  private void assertRefused(String endpoint, String field, String raw, String reason) {
    String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
    long jobs = count("training_jobs");
    JobSnapshot before = snapshot(jobId);
    Http.Reply reply =
        endpoint.equals("submit")
            ? http().post("/v1/jobs", submitWithRawHyperparameters(raw))
            : call(endpoint, callbackWithRaw(endpoint, top, raw));

    JsonNode problem = assertProblem(reply, 400);

    assertThat(problem.get("errors").get(field)).as(problem.toString()).isNotNull();
    assertThat(problem.get("errors").get(field).asText()).isEqualTo(reason);
    assertThat(count("training_jobs")).isEqualTo(jobs);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  private void assertServes(String path) {
    Http.Reply reply = http().get(path);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json()).isNotNull();
  }

  private Http.Reply call(String endpoint, String body) {
    return http()
        .post("/v1/jobs/" + jobId + "/" + endpoint, body, "Authorization", Tokens.bearer(token));
  }

  /** {"a":{"a":...{}}} with {@code depth} objects. */
  static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  private static String submitWithRawHyperparameters(String raw) {
    Map<String, Object> job = validJob();
    job.remove("hyperparameters");
    return "{\"hyperparameters\":" + raw + "," + Http.json(job).substring(1);
  }

  private String callbackWithRaw(String endpoint, String field, String raw) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    switch (endpoint) {
      case "heartbeat" -> body.put("epoch", 2);
      case "event" -> {
        body.put("level", "info");
        body.put("event_type", "note");
        body.put("message", "hello");
      }
      default -> body.put("status", "succeeded");
    }
    body.remove(field);
    return "{\"" + field + "\":" + raw + "," + Http.json(body).substring(1);
  }
}
