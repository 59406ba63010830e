package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.store.EmbeddedDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API with its PostgreSQL gone: callbacks and queries answer 503, which trainers retry, instead
 * of a 500 that reads like a bug, and the readiness path says the database is down.
 */
class DatabaseUnavailableTest extends ApiTest {
  private static final EmbeddedDatabase DOOMED = EmbeddedDatabase.startTemporary();

  private static final DropwizardAppExtension<TrainyardApiConfiguration> NO_DB =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "nodb.",
          ConfigOverride.config("nodb.", "database.url", DOOMED.jdbcUrl()),
          ConfigOverride.config("nodb.", "database.checkConnectionOnBorrow", "true"),
          ConfigOverride.config("nodb.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("nodb.", "callbacks.jwtSecret", TestStack.JWT_SECRET));

  @Test
  void callbacksAndQueriesAre503WhileTheDatabaseIsDown() {
    Http api = new Http(NO_DB.getLocalPort());
    DOOMED.close();

    Http.Reply heartbeat =
        api.post(
            "/v1/jobs/1/heartbeat",
            Http.json(Map.of("trace_id", "t", "epoch", 1)),
            "Authorization",
            Tokens.bearer(Tokens.valid(1)));
    Http.Reply query = api.get("/v1/jobs/1");

    for (Http.Reply reply : new Http.Reply[] {heartbeat, query}) {
      JsonNode problem = assertProblem(reply, 503);
      assertThat(problem.get("detail").asText()).contains("database is unavailable");
    }
    // the probes' path too: without its database the API serves nothing
    Http.Reply ready = new Http(NO_DB.getAdminPort()).get("/ready");
    assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
    assertThat(ready.json().path("database").path("healthy").asBoolean()).isFalse();
    assertThat(ready.json().path("database").path("critical").asBoolean()).isTrue();
  }
}
