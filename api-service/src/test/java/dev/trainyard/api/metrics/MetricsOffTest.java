package dev.trainyard.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code prometheus.enabled: false}, the bench's comparison: {@code /metrics} says so with a 404,
 * Dropwizard's JSON is still served, and callbacks run as before on no-op meters.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class MetricsOffTest {
  private static final TestStack STACK = TestStack.get();

  static final DropwizardAppExtension<TrainyardApiConfiguration> OFF =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("prometheus.enabled", "false"));

  @Test
  void metricsAnswer404AndCallbacksStillWork() {
    Http user = new Http(OFF.getLocalPort());
    Http.Reply submitted =
        user.post(
            "/v1/jobs",
            Http.json(
                Map.of(
                    "framework", "scripted",
                    "model_name", "m",
                    "dataset_id", "d",
                    "epochs", 1,
                    "batch_size", 1,
                    "learning_rate", 0.1,
                    "project_id", "proj-1")));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long jobId = submitted.json().get("job_id").asLong();
    Http.Reply heartbeat =
        user.post(
            "/v1/jobs/" + jobId + "/heartbeat",
            Http.json(Map.of("trace_id", submitted.json().get("trace_id").asText(), "epoch", 1)),
            "Authorization",
            Tokens.bearer(Tokens.valid(jobId)));

    Http admin = Http.anonymous(OFF.getAdminPort());
    Http.Reply metrics = admin.get("/metrics");

    assertThat(heartbeat.status()).as(heartbeat.toString()).isEqualTo(200);
    assertThat(metrics.status()).isEqualTo(404);
    assertThat(metrics.body()).contains("prometheus.enabled: false");
    assertThat(admin.get("/metrics.json").status()).isEqualTo(200);
  }
}
