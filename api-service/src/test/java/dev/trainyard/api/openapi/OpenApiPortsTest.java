package dev.trainyard.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jetty.server.NetworkConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code callbacks.port} set, the description and Swagger UI are user routes: served on the
 * user port, refused on the callback port like every route that is not a callback.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiPortsTest {
  private static final TestStack STACK = TestStack.get();
  private static final int CALLBACK_PORT = TestStack.freePort();
  private static final Path LOGS = temporaryDirectory();

  static final DropwizardAppExtension<TrainyardApiConfiguration> APP =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("callback-port-api.yml"),
          ConfigOverride.config("database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("temporal.target", STACK.temporalTarget),
          ConfigOverride.config("callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("callbacks.port", Integer.toString(CALLBACK_PORT)),
          ConfigOverride.config(
              "server.applicationConnectors[1].port", Integer.toString(CALLBACK_PORT)),
          ConfigOverride.config(
              "server.requestLog.appenders[0].currentLogFilename",
              LOGS.resolve("requests.log").toString()),
          ConfigOverride.config(
              "logging.appenders[1].currentLogFilename", LOGS.resolve("api.log").toString()));

  @Test
  void servedOnTheUserPortOnly() {
    Http users = Http.anonymous(userPort());
    Http trainers = Http.anonymous(CALLBACK_PORT);
    for (String path : new String[] {"/openapi.json", "/docs", "/docs/swagger-ui-bundle.js"}) {
      assertThat(users.get(path).status()).as("user port " + path).isEqualTo(200);
      Http.Reply refused = trainers.get(path);
      assertThat(refused.status()).as("callback port " + path).isEqualTo(404);
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }
    // the document still describes the callbacks, which that port serves
    assertThat(users.get("/openapi.json").json().path("paths").has("/v1/jobs/{job_id}/heartbeat"))
        .isTrue();
  }

  private static int userPort() {
    return Arrays.stream(APP.getEnvironment().getApplicationContext().getServer().getConnectors())
        .map(NetworkConnector.class::cast)
        .filter(c -> c.getPort() != CALLBACK_PORT && c.getName().equals("application"))
        .findFirst()
        .orElseThrow()
        .getLocalPort();
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("trainyard-openapi-ports-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
