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
 * The API with Temporal unreachable: submits and callbacks answer 503 and leave nothing behind,
 * so the caller's retry starts from a clean state.
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
    Map<String, Object> body = Map.of("trace_id", job.get("trace_id").asText(), "epoch", 1, "metrics", Map.of("loss", 1));

    Http.Reply reply = down().post("/v1/jobs/" + id + "/heartbeat", Http.json(body),
        "Authorization", Tokens.bearer(Tokens.valid(id)));

    assertProblem(reply, 503);
    assertThat(snapshot(id)).isEqualTo(before);
    assertProblem(down().post("/v1/jobs/" + id + "/cancel", ""), 503);
    assertThat(snapshot(id)).isEqualTo(before);
  }
}
