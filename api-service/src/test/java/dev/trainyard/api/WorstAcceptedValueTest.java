package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainyard.api.http.StrictJson;
import dev.trainyard.api.jobs.FreeFormJson;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What is stored can always be served back (issue 12): the worst value the API accepts, at the
 * depth and size limits with every number form and Unicode, goes in through submit and each
 * callback, and every list and view gives it back as complete, standard JSON with the same values.
 */
class WorstAcceptedValueTest extends ApiTest {
  /** Standard JSON only, as a strict client reads it: no NaN, no duplicate keys. */
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final String UNICODE =
      "é ÿ 中文 😀 𝄞 \u2028\u2029 \ufeff \uffff \u0001\t\n\r \"q\" \\ / </script> \u202e";

  @Test
  void theWorstAcceptedValuesAreServedBackCompleteByEveryListAndView() {
    Map<String, Object> hyperparameters = worst();
    Http.Reply submitted =
        http().post("/v1/jobs", Http.json(withField(validJob(), "hyperparameters", worst())));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long jobId = submitted.json().get("job_id").asLong();
    awaitStarted(jobId);
    String traceId = submitted.json().get("trace_id").asText();
    String token = Tokens.bearer(Tokens.valid(jobId));
    String base = "/v1/jobs/" + jobId;

    Map<String, Object> heartbeat = new LinkedHashMap<>();
    heartbeat.put("trace_id", traceId);
    heartbeat.put("epoch", 1);
    heartbeat.put("metrics", Map.of("loss", 0.5));
    assertOk(http().post(base + "/heartbeat", Http.json(heartbeat), "Authorization", token));
    heartbeat.put("epoch", 2);
    heartbeat.put("metrics", worst()); // the token is remembered now: this one takes the fast path
    assertOk(http().post(base + "/heartbeat", Http.json(heartbeat), "Authorization", token));

    Map<String, Object> event = new LinkedHashMap<>();
    event.put("trace_id", traceId);
    event.put("level", "warning");
    event.put("event_type", UNICODE.substring(0, 20));
    event.put("message", UNICODE);
    event.put("data", worst());
    assertOk(http().post(base + "/event", Http.json(event), "Authorization", token));

    Map<String, Object> done = new LinkedHashMap<>();
    done.put("trace_id", traceId);
    done.put("status", "succeeded");
    done.put("error", UNICODE);
    done.put("final_metrics", worst());
    done.put("artifacts", worstStrings());
    done.put("mlflow_run_id", UNICODE);
    done.put("training_time_seconds", Integer.MAX_VALUE);
    assertOk(http().post(base + "/done", Http.json(done), "Authorization", token));

    JsonNode job = servedJob(strict(http().get("/v1/jobs?limit=500")), jobId);
    for (JsonNode view : List.of(job, strict(http().get(base)))) {
      assertSame(view.get("hyperparameters"), hyperparameters);
      assertSame(view.get("final_metrics"), worst());
      assertSame(view.get("artifacts"), worstStrings());
    }
    JsonNode events = strict(http().get(base + "/events?limit=500")).get("events");
    JsonNode trainerEvent = find(events, "event_type", UNICODE.substring(0, 20));
    assertThat(trainerEvent.get("message").asText()).isEqualTo(UNICODE);
    assertSame(trainerEvent.get("data"), worst());
    JsonNode metrics = strict(http().get(base + "/metrics?limit=500")).get("metrics");
    assertSame(find(metrics, "epoch", 2).get("metrics"), worst());
    assertSame(find(metrics, "epoch", -1).get("metrics"), worst());
  }

  @Test
  void theWorstValueIsAtTheLimitsAndOneMoreByteOrLevelIsRefused() {
    assertThat(FreeFormJson.encodedSize(worst())).isEqualTo(FreeFormJson.MAX_BYTES);
    assertThat(FreeFormJson.encodedSize(worstStrings())).isEqualTo(FreeFormJson.MAX_BYTES);

    Map<String, Object> oneByteMore = worst();
    oneByteMore.put("pad", oneByteMore.get("pad") + "x");
    JsonNode tooLarge =
        assertProblem(
            http()
                .post("/v1/jobs", Http.json(withField(validJob(), "hyperparameters", oneByteMore))),
            400);
    assertThat(tooLarge.get("errors").get("hyperparameters").asText())
        .isEqualTo("must be at most 16384 bytes as JSON");

    Map<String, Object> oneLevelMore = worst();
    oneLevelMore.put("deep", Map.of("d", oneLevelMore.get("deep")));
    JsonNode tooDeep =
        assertProblem(
            http()
                .post(
                    "/v1/jobs", Http.json(withField(validJob(), "hyperparameters", oneLevelMore))),
            400);
    assertThat(tooDeep.get("errors").get("hyperparameters").asText())
        .isEqualTo("must be nested at most 32 levels deep");
  }

  /** The request limits are not the stored values' limits: a row stored before them is served. */
  @Test
  void aDeeperValueStoredBeforeTheLimitsIsStillServed() {
    long jobId = submitJob().get("job_id").asLong();
    String deep = HostileJsonTest.nested(100);
    STACK.jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO job_events (job_id, trace_id, level, event_type, message, data)"
                        + " VALUES (:job, 't', 'info', 'legacy', 'stored earlier', :data::jsonb)")
                .bind("job", jobId)
                .bind("data", deep)
                .execute());

    JsonNode events = strict(http().get("/v1/jobs/" + jobId + "/events")).get("events");

    assertThat(find(events, "event_type", "legacy").get("data").toString()).isEqualTo(deep);
  }

  /**
   * Every number form JSON has, at a double's extremes and beyond a long; Unicode in keys and
   * values; a chain {@link StrictJson#MAX_FREE_FORM_DEPTH} objects deep; padded to the size limit.
   */
  private static Map<String, Object> worst() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("max", Double.MAX_VALUE);
    value.put("lowest", -Double.MAX_VALUE);
    value.put("tiny", Double.MIN_VALUE);
    value.put("small", -2.2250738585072014E-308);
    value.put("negative_zero", -0.0);
    value.put("zero", 0);
    value.put("fraction", 0.1);
    value.put("long_max", Long.MAX_VALUE);
    value.put("long_min", Long.MIN_VALUE);
    value.put("beyond_long", new BigInteger("18446744073709551616"));
    value.put("near_double_max", BigInteger.TEN.pow(308));
    value.put("flags", List.of(true, false));
    value.put("nothing", null);
    value.put("empties", List.of(List.of(), Map.of(), ""));
    value.put(UNICODE, UNICODE);
    Map<String, Object> deep = new LinkedHashMap<>();
    deep.put("leaf", Double.MAX_VALUE);
    deep.put("text", UNICODE);
    for (int level = StrictJson.MAX_FREE_FORM_DEPTH; level > 2; level--) {
      deep = new LinkedHashMap<>(Map.of("d", deep));
    }
    value.put("deep", deep); // level 2 .. 32
    return padded(value);
  }

  /** artifacts holds strings only. */
  private static Map<String, Object> worstStrings() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("best", "s3://bucket/" + UNICODE);
    value.put(UNICODE, UNICODE);
    return padded(value);
  }

  private static Map<String, Object> padded(Map<String, Object> value) {
    value.put("pad", "");
    long missing = FreeFormJson.MAX_BYTES - FreeFormJson.encodedSize(value);
    value.put("pad", "p".repeat((int) missing));
    return value;
  }

  private static Map<String, Object> withField(
      Map<String, Object> body, String field, Object value) {
    body.put(field, value);
    return body;
  }

  private static void assertOk(Http.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
  }

  private static JsonNode strict(Http.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    try {
      return STRICT.readTree(reply.body().getBytes(StandardCharsets.UTF_8)); // as the CLI reads
    } catch (IOException e) {
      throw new UncheckedIOException("not complete standard JSON: " + reply, e);
    }
  }

  /** The same values (numbers by value: PostgreSQL gives 1e308 back as 309 digits, -0 as 0). */
  private static void assertSame(JsonNode served, Map<String, Object> sent) {
    JsonNode expected = STRICT.valueToTree(sent);
    Comparator<JsonNode> byValue =
        (a, b) ->
            a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue())
                : a.equals(b) ? 0 : 1;
    assertThat(served.equals(byValue, expected)).as(served.toString()).isTrue();
    assertThat(Http.json(served).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(FreeFormJson.MAX_BYTES);
  }

  private static JsonNode servedJob(JsonNode list, long jobId) {
    return find(list.get("jobs"), "job_id", jobId);
  }

  private static JsonNode find(JsonNode items, String field, Object value) {
    List<JsonNode> found = new ArrayList<>();
    items.forEach(
        item -> {
          if (item.get(field).asText().equals(String.valueOf(value))) {
            found.add(item);
          }
        });
    assertThat(found).as(items.toString()).hasSize(1);
    return found.get(0);
  }
}
