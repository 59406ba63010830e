package dev.trainyard.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestS3;
import dev.trainyard.api.support.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import org.junit.jupiter.api.Test;

/**
 * The admin port's health: with Temporal and storage reachable every check is healthy; with both
 * gone {@code /healthcheck} answers 503 naming each and why, while {@code /ready} (the probes'
 * path) stays 200 and the API keeps serving reads.
 */
class ApiHealthTest extends ApiTest {
  private static final TestS3 S3 = TestS3.get();

  private static final DropwizardAppExtension<TrainyardApiConfiguration> UP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "up.",
          ConfigOverride.config("up.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("up.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("up.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("up.", "storage.endpoint", S3.endpoint),
          ConfigOverride.config("up.", "storage.bucket", TestS3.BUCKET),
          ConfigOverride.config("up.", "storage.accessKey", TestS3.ACCESS_KEY),
          ConfigOverride.config("up.", "storage.secretKey", TestS3.SECRET_KEY));

  private static final int NOTHING_LISTENS = TestStack.freePort();

  private static final DropwizardAppExtension<TrainyardApiConfiguration> DOWN =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "down.",
          ConfigOverride.config("down.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("down.", "temporal.target", "127.0.0.1:" + NOTHING_LISTENS),
          ConfigOverride.config("down.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("down.", "storage.endpoint", "http://127.0.0.1:" + NOTHING_LISTENS),
          ConfigOverride.config("down.", "storage.bucket", TestS3.BUCKET),
          ConfigOverride.config("down.", "storage.accessKey", TestS3.ACCESS_KEY),
          ConfigOverride.config("down.", "storage.secretKey", TestS3.SECRET_KEY));

  @Test
  void everyCheckIsHealthyWhenTemporalAndStorageAnswer() {
    Http admin = new Http(UP.getAdminPort());

    Http.Reply all = admin.get("/healthcheck");
    Http.Reply ready = admin.get("/ready");

    assertThat(all.status()).as(all.toString()).isEqualTo(200);
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    JsonNode checks = all.json();
    assertThat(checks.fieldNames())
        .toIterable()
        .contains(ApiHealth.DATABASE, ApiHealth.TEMPORAL, ApiHealth.STORAGE, "deadlocks");
    checks.forEach(
        check -> assertThat(check.path("healthy").asBoolean()).as(check.toString()).isTrue());
    assertThat(checks.path(ApiHealth.TEMPORAL).path("message").asText())
        .isEqualTo("namespace default at " + STACK.temporalTarget);
    assertThat(checks.path(ApiHealth.STORAGE).path("message").asText())
        .isEqualTo("s3://" + TestS3.BUCKET + "/");
    assertThat(checks.path(ApiHealth.DATABASE).path("critical").asBoolean()).isTrue();
    assertThat(checks.path(ApiHealth.TEMPORAL).path("critical").asBoolean()).isFalse();
  }

  @Test
  void temporalAndStorageDownAre503WithTheReasonWhileReadsAreServed() {
    Http admin = new Http(DOWN.getAdminPort());

    Http.Reply all = admin.get("/healthcheck");
    Http.Reply ready = admin.get("/ready");
    Http.Reply jobs = new Http(DOWN.getLocalPort()).get("/v1/jobs");

    assertThat(all.status()).as(all.toString()).isEqualTo(503);
    assertThat(all.contentType()).startsWith("application/json");
    JsonNode temporal = all.json().path(ApiHealth.TEMPORAL);
    assertThat(temporal.path("healthy").asBoolean()).isFalse();
    assertThat(temporal.path("message").asText())
        .startsWith("Temporal at 127.0.0.1:" + NOTHING_LISTENS + " unreachable: UNAVAILABLE");
    JsonNode storage = all.json().path(ApiHealth.STORAGE);
    assertThat(storage.path("healthy").asBoolean()).isFalse();
    assertThat(storage.path("message").asText())
        .startsWith("s3://" + TestS3.BUCKET + "/ unreachable: ")
        .doesNotContain(TestS3.SECRET_KEY);
    assertThat(all.json().path(ApiHealth.DATABASE).path("healthy").asBoolean()).isTrue();
    // degraded, not dead: the probes' path stays green and the user API answers
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    assertThat(ready.json().path(ApiHealth.TEMPORAL).path("healthy").asBoolean()).isFalse();
    assertThat(jobs.status()).as(jobs.toString()).isEqualTo(200);
    assertThat(jobs.json().has("jobs")).isTrue();
  }

  @Test
  void anApiWithoutStorageIsHealthyAndSaysWhy() {
    JsonNode storage =
        new Http(APP.getAdminPort()).get("/healthcheck").json().path(ApiHealth.STORAGE);

    assertThat(storage.path("healthy").asBoolean()).isTrue();
    assertThat(storage.path("message").asText()).startsWith("not configured");
  }
}
