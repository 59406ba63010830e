package dev.trainyard.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The admin port's {@code /metrics} as Prometheus reads it, counting the callbacks this test makes
 * (by route and code, fast path and Jersey alike), the group commit's batches, the jobs in the
 * record, and the Temporal SDK's own client metrics; Dropwizard's JSON is at {@code /metrics.json}.
 */
class PrometheusEndpointTest extends ApiTest {

  private static Http admin() {
    return Http.anonymous(APP.getAdminPort());
  }

  private static String scrape() {
    Http.Reply reply = admin().get("/metrics");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain; version=0.0.4");
    return reply.body();
  }

  /** The sample's value; 0 when the series is absent. */
  static double value(String scrape, String series) {
    Matcher line =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }

  private static Http.Reply callback(long jobId, String route, Map<String, Object> body) {
    return http()
        .post(
            "/v1/jobs/" + jobId + "/" + route,
            Http.json(body),
            "Authorization",
            Tokens.bearer(Tokens.valid(jobId)));
  }

  @Test
  void callbacksAreCountedByRouteAndCodeAndTimed() {
    JsonNode job = submitJob();
    long jobId = job.get("job_id").asLong();
    String before = scrape();

    Map<String, Object> heartbeat =
        Map.of("trace_id", job.get("trace_id").asText(), "epoch", 1, "progress", 10.0);
    assertThat(callback(jobId, "heartbeat", heartbeat).status()).isEqualTo(200);
    assertThat(
            callback(jobId, "heartbeat", Map.of("trace_id", "not-the-job's", "epoch", 1)).status())
        .isEqualTo(400);
    Http.Reply unauthenticated =
        Http.anonymous(APP.getLocalPort())
            .post("/v1/jobs/" + jobId + "/event", Http.json(Map.of("trace_id", "x")));
    assertThat(unauthenticated.status()).isEqualTo(401);
    String after = scrape();

    assertThat(delta(before, after, "trainyard_callbacks_total{code=\"200\",route=\"heartbeat\"}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "trainyard_callbacks_total{code=\"400\",route=\"heartbeat\"}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "trainyard_callbacks_total{code=\"401\",route=\"event\"}"))
        .isEqualTo(1);
    assertThat(
            delta(before, after, "trainyard_callback_duration_seconds_count{route=\"heartbeat\"}"))
        .isEqualTo(2);
    assertThat(
            delta(
                before,
                after,
                "trainyard_callback_duration_seconds_bucket{route=\"heartbeat\",le=\"+Inf\"}"))
        .isEqualTo(2);
    // the accepted heartbeat went through the group commit, one batch of one
    assertThat(delta(before, after, "trainyard_heartbeat_batch_size_count")).isGreaterThan(0);
    assertThat(value(after, "trainyard_heartbeat_batch_size_bucket{le=\"1.0\"}")).isGreaterThan(0);
    // the series of every code the callback API answers exist before any such answer
    assertThat(after).contains("trainyard_callbacks_total{code=\"503\",route=\"done\"} 0.0");
    assertThat(after).contains("trainyard_progress_signals_total{outcome=\"queue_full\"} 0.0");
  }

  @Test
  void jobsByStatusComeFromTheRecord() {
    submitJob();
    long pending =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM training_jobs WHERE status = 'pending'")
                    .mapTo(Long.class)
                    .one());

    assertThat(pending).isPositive();
    // read at most every JobGauges.FRESH_FOR: an earlier scrape's figures may still be served
    Awaitility.await()
        .atMost(JobGauges.FRESH_FOR.multipliedBy(3))
        .untilAsserted(
            () ->
                assertThat(value(scrape(), "trainyard_jobs{status=\"pending\"}"))
                    .isEqualTo(pending));
    String scrape = scrape();
    assertThat(value(scrape, "trainyard_job_oldest_age_seconds{status=\"pending\"}"))
        .isGreaterThan(0);
    assertThat(value(scrape, "trainyard_jobs{status=\"cancelled\"}")).isZero();
  }

  @Test
  void theTemporalSdkReportsItsClientCallsAndTheJvmIsThere() {
    submitJob(); // a StartWorkflowExecution through the API's stubs

    String scrape = scrape();

    assertThat(scrape).contains("temporal_request_latency_seconds_bucket{");
    assertThat(scrape).contains("jvm_memory_used_bytes{");
  }

  @Test
  void dropwizardsOwnMetricsMovedToMetricsJson() {
    Http.Reply reply = admin().get("/metrics.json");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().has("gauges")).isTrue();
  }

  private static double delta(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }
}
