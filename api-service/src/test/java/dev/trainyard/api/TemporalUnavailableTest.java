package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API with Temporal unreachable: submits and callbacks that need the engine answer 503 and
 * leave nothing behind, so the caller's retry starts from a clean state; a running job's heartbeat,
 * which needs only PostgreSQL, is accepted.
 */
class TemporalUnavailableTest extends ApiTest {
  private static final DropwizardAppExtension<TrainyardApiConfiguration> DOWN =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "down.",
          ConfigOverride.config("down.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("down.", "temporal.target", "localhost:" + TestStack.freePort()),
          ConfigOverride.config("down.", "callbacks.jwtSecret", TestStack.JWT_SECRET));

  private static Http down() {
    return new Http(DOWN.getLocalPort());
  }

  @Test
  void submitIs503AndLeavesNoRow() {
    long jobs = count("training_jobs");
    JsonNode problem = assertProblem(down().post("/v1/jobs", Http.json(validJob())), 503);
    assertThat(problem.get("detail").asText()).contains("workflow service is unavailable");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void callbackIs503AndRolledBackWhenTheSignalFails() {
    JsonNode job = submitJob();
    long id = job.get("job_id").asLong();
    JobSnapshot before = snapshot(id);
    Map<String, Object> body =
        Map.of("trace_id", job.get("trace_id").asText(), "epoch", 1, "metrics", Map.of("loss", 1));

    Http.Reply reply =
        down()
            .post(
                "/v1/jobs/" + id + "/heartbeat",
                Http.json(body),
                "Authorization",
                Tokens.bearer(Tokens.valid(id)));

    assertProblem(reply, 503);
    assertThat(snapshot(id)).isEqualTo(before);
    assertProblem(down().post("/v1/jobs/" + id + "/cancel", ""), 503);
    assertThat(snapshot(id)).isEqualTo(before);
  }

  @Test
  void aRunningJobsHeartbeatIsAcceptedAndItsProgressSignalRetriedLater() {
    JsonNode job = submitJob();
    long id = job.get("job_id").asLong();
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET status = 'running', callback_signalled_at = now() - interval '1 hour' WHERE id = ?",
                id));
    Map<String, Object> body =
        Map.of("trace_id", job.get("trace_id").asText(), "epoch", 3, "metrics", Map.of("loss", 1));
    java.time.Instant before = databaseNow();

    Http.Reply reply =
        down()
            .post(
                "/v1/jobs/" + id + "/heartbeat",
                Http.json(body),
                "Authorization",
                Tokens.bearer(Tokens.valid(id)));
    java.time.Instant after = databaseNow();

    // persisted and answered: liveness is read from the row, the signal only carries progress
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    long metricRows =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM training_metrics WHERE job_id = :id")
                    .bind("id", id)
                    .mapTo(Long.class)
                    .one());
    assertThat(metricRows).isEqualTo(1);
    // The heartbeat marked the signal sent (at some instant between before and after); the failed
    // signal moved the mark back by the interval (30 s) less 5 s: due again 5 s after the mark,
    // not an hour ago, so later heartbeats retry it without flooding the engine.
    java.time.Duration back = java.time.Duration.ofSeconds(25);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> signalledAt(id).isBefore(before));
    assertThat(signalledAt(id)).isBetween(before.minus(back), after.minus(back));
  }

  private static java.time.Instant databaseNow() {
    return STACK.jdbi.withHandle(
        h -> h.createQuery("SELECT now()").mapTo(java.time.Instant.class).one());
  }

  private static java.time.Instant signalledAt(long id) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery("SELECT callback_signalled_at FROM training_jobs WHERE id = :id")
                .bind("id", id)
                .mapTo(java.time.Instant.class)
                .one());
  }
}
