package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.workflows.messages.TrainerCallback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The group-committed heartbeat path: a running job's heartbeats. They are written in shared
 * statements, yet each is persisted before its 200; only a due progress signal is sent, once, after
 * the reply; and what the batch may not apply still gets the careful path's answer.
 */
class HeartbeatGroupCommitTest extends ApiTest {

  private record Job(long id, String traceId) {}

  /** A job the API sees as running, signalled just now: its next heartbeats take the batch. */
  private static Job runningJob() {
    JsonNode submitted = submitJob();
    Job job = new Job(submitted.get("job_id").asLong(), submitted.get("trace_id").asText());
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET status = 'running', callback_signalled_at = now() WHERE id = ?",
                job.id()));
    return job;
  }

  private static Map<String, Object> heartbeat(Job job, int epoch) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", job.traceId());
    body.put("epoch", epoch);
    body.put("step", epoch * 10);
    body.put("progress", epoch * 1.0);
    body.put("metrics", Map.of("loss", 1.0 / (epoch + 1)));
    return body;
  }

  private static Http.Reply send(Job job, Map<String, Object> body) {
    return http()
        .post(
            "/v1/jobs/" + job.id() + "/heartbeat",
            Http.json(body),
            "Authorization",
            Tokens.bearer(Tokens.valid(job.id())));
  }

  private static long metricRows(Job job) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM training_metrics WHERE job_id = :id")
                .bind("id", job.id())
                .mapTo(Long.class)
                .one());
  }

  @Test
  void concurrentHeartbeatsOfManyJobsAreAllPersistedAndNoneSignalled() throws Exception {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jobs.add(runningJob());
    }
    ExecutorService callers = Executors.newFixedThreadPool(16);
    List<Future<Integer>> replies = new ArrayList<>();
    for (int epoch = 1; epoch <= 25; epoch++) {
      for (Job job : jobs) {
        Map<String, Object> body = heartbeat(job, epoch);
        replies.add(callers.submit(() -> send(job, body).status()));
      }
    }
    for (Future<Integer> reply : replies) {
      assertThat(reply.get()).isEqualTo(200);
    }
    callers.shutdown();

    for (Job job : jobs) {
      // the same job's heartbeats, sent concurrently, are never merged: one metrics row each
      assertThat(metricRows(job)).isEqualTo(25);
      assertThat(signals(job.id())).isEmpty();
      JsonNode view = http().get("/v1/jobs/" + job.id()).json();
      assertThat(view.get("current_epoch").asInt()).isBetween(1, 25);
      assertThat(view.get("last_heartbeat_at").isNull()).isFalse();
    }
  }

  @Test
  void aWrongTraceIdIsStill400AndChangesNothing() {
    Job job = runningJob();
    JobSnapshot before = snapshot(job.id());
    Map<String, Object> body = heartbeat(job, 3);
    body.put("trace_id", "00000000-0000-0000-0000-000000000000");

    assertThat(assertProblem(send(job, body), 400).get("detail").asText())
        .isEqualTo("Trace ID mismatch");
    assertThat(snapshot(job.id())).isEqualTo(before);
  }

  @Test
  void aCancelRequestTurnsShouldContinueFalse() {
    Job job = runningJob();
    assertThat(send(job, heartbeat(job, 1)).json().get("should_continue").asBoolean()).isTrue();
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET cancel_requested_at = now() WHERE id = ?", job.id()));

    Http.Reply reply = send(job, heartbeat(job, 2));

    assertThat(reply.body()).isEqualTo("{\"status\":\"ok\",\"should_continue\":false}");
    assertThat(metricRows(job)).isEqualTo(2);
  }

  @Test
  void aDueProgressSignalIsSentOnceAfterTheReply() {
    Job job = runningJob();
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET callback_signalled_at = now() - interval '1 hour' WHERE id = ?",
                job.id()));

    assertThat(send(job, heartbeat(job, 4)).status()).isEqualTo(200);
    assertThat(send(job, heartbeat(job, 5)).status()).isEqualTo(200);

    // the first heartbeat's statement marked the signal sent, so the second does not ask again
    org.awaitility.Awaitility.await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> signals(job.id()).size() == 1);
    assertThat(((TrainerCallback) signals(job.id()).get(0)).epoch()).isEqualTo(4);
    assertThat(metricRows(job)).isEqualTo(2);
    assertThat(signalledSecondsAgo(job)).isLessThan(5);

    // the token is remembered now: the fast path's batch sends the next due signal too
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET callback_signalled_at = now() - interval '1 hour' WHERE id = ?",
                job.id()));
    assertThat(send(job, heartbeat(job, 6)).status()).isEqualTo(200);
    assertThat(awaitSignals(job.id(), 2)).hasSize(2);
    assertThat(((TrainerCallback) signals(job.id()).get(1)).epoch()).isEqualTo(6);
    assertThat(metricRows(job)).isEqualTo(3);
  }

  private static double signalledSecondsAgo(Job job) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT extract(epoch FROM now() - callback_signalled_at) FROM training_jobs WHERE id = :id")
                .bind("id", job.id())
                .mapTo(Double.class)
                .one());
  }

  /**
   * Once a job's token is remembered and its heartbeats take the fast path, every request Jersey
   * would refuse is still refused by Jersey, with its reason, and changes nothing.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON|application/json|{\"trace_id\": |JOB|400|",
        "string epoch|application/json|{\"trace_id\":\"TRACE\",\"epoch\":\"1\"}|JOB|400|must be an integer",
        "progress over 100|application/json|{\"trace_id\":\"TRACE\",\"progress\":101}|JOB|400|must be between 0 and 100",
        "wrong media type|text/plain|{\"trace_id\":\"TRACE\"}|JOB|415|",
        "another job's token|application/json|{\"trace_id\":\"TRACE\"}|OTHER|401|",
        "wrong trace id|application/json|{\"trace_id\":\"00000000-0000-0000-0000-000000000000\"}|JOB|400|",
      })
  void whatJerseyWouldRefuseIsRefusedByJersey(
      String name,
      String contentType,
      String body,
      String tokenOf,
      int status,
      String fieldReason) {
    Job job = runningJob();
    Job other = runningJob();
    assertThat(send(job, heartbeat(job, 1)).status()).isEqualTo(200); // remembers the token
    assertThat(send(other, heartbeat(other, 1)).status()).isEqualTo(200);
    JobSnapshot before = snapshot(job.id());

    String token = Tokens.valid(tokenOf.equals("JOB") ? job.id() : other.id());
    Http.Reply reply =
        http()
            .post(
                "/v1/jobs/" + job.id() + "/heartbeat",
                body.replace("TRACE", job.traceId()),
                "Authorization",
                Tokens.bearer(token),
                "Content-Type",
                contentType);

    JsonNode problem = assertProblem(reply, status);
    if (fieldReason != null) {
      assertThat(problem.get("errors").toString()).contains(fieldReason);
    }
    assertThat(snapshot(job.id())).isEqualTo(before);
  }
}
