package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.workflows.messages.CancelRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobQueriesTest extends ApiTest {

  @Test
  void getShowsTheWholeJobAndNoSecrets() {
    JsonNode submitted = submitJob();
    long id = submitted.get("job_id").asLong();

    Http.Reply reply = http().get("/v1/jobs/" + id);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode job = reply.json();
    List<String> fields = new ArrayList<>();
    job.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "job_id",
            "trace_id",
            "workflow_id",
            "status",
            "framework",
            "model_name",
            "dataset_id",
            "epochs",
            "batch_size",
            "learning_rate",
            "project_id",
            "hyperparameters",
            "heartbeat_timeout_seconds",
            "startup_timeout_seconds",
            "max_runtime_seconds",
            "cancel_grace_seconds",
            "current_epoch",
            "progress",
            "last_heartbeat_at",
            "training_time_seconds",
            "artifacts",
            "final_metrics",
            "error_message",
            "failure_reason",
            "failure_explanation",
            "mlflow_run_id",
            "cancel_requested_at",
            "submitted_by",
            "cancel_requested_by",
            "created_at",
            "queued_at",
            "started_at",
            "completed_at",
            "attempt",
            "max_attempts",
            "attempts");
    assertThat(job.get("trace_id")).isEqualTo(submitted.get("trace_id"));
    assertThat(job.get("hyperparameters").get("imgsz").asInt()).isEqualTo(640);
    assertThat(job.get("learning_rate").asDouble()).isEqualTo(0.01);
    assertThat(Instant.parse(job.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(job.get("completed_at").isNull()).isTrue();
    // who submitted: the key id, never the key
    assertThat(job.get("submitted_by").asText()).isEqualTo(STACK.adminKey.substring(3, 15));
    assertThat(reply.body()).doesNotContain(STACK.adminKey.substring(16));
    assertThat(reply.body().toLowerCase()).doesNotContain("token").doesNotContain("idempotency");
  }

  @Test
  void unknownJobIs404Everywhere() {
    for (String path :
        List.of("/v1/jobs/987654321", "/v1/jobs/987654321/events", "/v1/jobs/987654321/metrics")) {
      assertThat(assertProblem(http().get(path), 404).get("detail").asText()).contains("987654321");
    }
    assertProblem(http().post("/v1/jobs/987654321/cancel", ""), 404);
    assertProblem(http().get("/v1/jobs/not-a-number"), 404);
    assertProblem(http().get("/v1/nothing-here"), 404);
  }

  @Test
  void wrongMethodIs405Problem() {
    assertProblem(http().post("/v1/jobs/1", "{}"), 405);
  }

  @Test
  void listPagesNewestFirstAndFiltersByStatus() {
    long a = submitJob().get("job_id").asLong();
    long b = submitJob().get("job_id").asLong();
    long c = submitJob().get("job_id").asLong();
    setStatus(b, "running");

    JsonNode first = http().get("/v1/jobs?limit=2&before=" + (c + 1)).json();
    assertThat(ids(first.get("jobs"))).containsExactly(c, b);
    assertThat(first.get("next_before").asLong()).isEqualTo(b);
    JsonNode second = http().get("/v1/jobs?limit=2&before=" + b).json();
    assertThat(ids(second.get("jobs")).get(0)).isEqualTo(a);

    JsonNode running = http().get("/v1/jobs?status=running&limit=500").json();
    assertThat(ids(running.get("jobs"))).contains(b).doesNotContain(a, c);
    running.get("jobs").forEach(job -> assertThat(job.get("status").asText()).isEqualTo("running"));
    JsonNode lastPage = http().get("/v1/jobs?before=" + (a + 1) + "&limit=500").json();
    assertThat(lastPage.get("next_before").isNull()).isTrue();
  }

  @Test
  void listParametersAreValidated() {
    assertThat(
            assertProblem(http().get("/v1/jobs?status=done"), 400)
                .get("errors")
                .get("status")
                .asText())
        .startsWith("must be one of pending, queued, running");
    assertThat(
            assertProblem(http().get("/v1/jobs?limit=abc"), 400)
                .get("errors")
                .get("limit")
                .asText())
        .isEqualTo("must be an integer");
    assertProblem(http().get("/v1/jobs?limit=0"), 400);
    assertProblem(http().get("/v1/jobs?limit=501"), 400);
    assertProblem(http().get("/v1/jobs?before=-1"), 400);
    assertProblem(http().get("/v1/jobs/1/events?after=x"), 400);
    assertProblem(http().get("/v1/jobs/1/metrics?limit=99999"), 400);
  }

  @Test
  void cancelRecordsTheRequestSignalsOnceAndRepeatsTheSameAnswer() {
    long id = submitJob().get("job_id").asLong();

    Http.Reply first = http().post("/v1/jobs/" + id + "/cancel", "");
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    JsonNode body = first.json();
    assertThat(body.get("job_id").asLong()).isEqualTo(id);
    assertThat(body.get("status").asText()).isEqualTo("pending");
    String requestedAt = body.get("cancel_requested_at").asText();
    assertThat(awaitSignals(id, 1)).singleElement().isInstanceOf(CancelRequest.class);

    Http.Reply again = http().post("/v1/jobs/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("cancel_requested_at").asText()).isEqualTo(requestedAt);
    assertThat(signals(id)).hasSize(1);
    assertThat(http().get("/v1/jobs/" + id).json().get("cancel_requested_at").asText())
        .isEqualTo(requestedAt);
  }

  @Test
  void cancelOfAnEndedJobIs409AndChangesNothing() {
    long id = submitJob().get("job_id").asLong();
    for (String terminal : List.of("succeeded", "failed", "cancelled")) {
      setStatus(id, terminal);
      JobSnapshot before = snapshot(id);
      assertThat(
              assertProblem(http().post("/v1/jobs/" + id + "/cancel", ""), 409)
                  .get("detail")
                  .asText())
          .contains(terminal);
      assertThat(snapshot(id)).isEqualTo(before);
    }
  }

  @Test
  void eventsAndMetricsPageInOrder() {
    long id = submitJob().get("job_id").asLong();
    STACK.jdbi.useHandle(
        h -> {
          for (int i = 0; i < 3; i++) {
            h.execute(
                "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message, data)"
                    + " SELECT id, trace_id, 'trainyard', 'info', 'status_changed', 'm"
                    + i
                    + "', '{\"n\":"
                    + i
                    + "}'"
                    + " FROM training_jobs WHERE id = ?",
                id);
            h.execute(
                "INSERT INTO training_metrics (job_id, epoch, step, metrics) VALUES (?, ?, 0, '{\"loss\":1.5}')",
                id,
                i);
          }
        });

    JsonNode page = http().get("/v1/jobs/" + id + "/events?limit=2").json();
    assertThat(page.get("events")).hasSize(2);
    JsonNode event = page.get("events").get(0);
    assertThat(event.get("message").asText()).isEqualTo("m0");
    assertThat(event.get("data").get("n").asInt()).isZero();
    assertThat(event.get("source").asText()).isEqualTo("trainyard");
    long next = page.get("next_after").asLong();
    JsonNode rest = http().get("/v1/jobs/" + id + "/events?after=" + next).json();
    assertThat(rest.get("events")).hasSize(1);
    assertThat(rest.get("next_after").isNull()).isTrue();

    JsonNode metrics = http().get("/v1/jobs/" + id + "/metrics").json().get("metrics");
    assertThat(metrics).hasSize(3);
    assertThat(metrics.get(2).get("epoch").asInt()).isEqualTo(2);
    assertThat(metrics.get(2).get("metrics").get("loss").asDouble()).isEqualTo(1.5);
  }

  @Test
  void metricsPageUpTo5000SoAChartLoadsInFewCalls() {
    long id = submitJob().get("job_id").asLong();
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO training_metrics (job_id, epoch, step, metrics)"
                    + " SELECT ?, n / 10, n, '{\"loss\":1.5}' FROM generate_series(1, 600) n",
                id));

    JsonNode page = http().get("/v1/jobs/" + id + "/metrics?limit=5000").json();
    assertThat(page.get("metrics")).hasSize(600);
    assertThat(page.get("next_after").isNull()).isTrue();
    assertThat(
            assertProblem(http().get("/v1/jobs/" + id + "/metrics?limit=5001"), 400)
                .get("errors")
                .get("limit")
                .asText())
        .isEqualTo("must be between 1 and 5000");
    // events and the job list keep their page of 500
    assertProblem(http().get("/v1/jobs/" + id + "/events?limit=501"), 400);
  }

  private static List<Long> ids(JsonNode jobs) {
    List<Long> ids = new ArrayList<>();
    jobs.forEach(job -> ids.add(job.get("job_id").asLong()));
    return ids;
  }
}
