package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code callbacks.port} names one of two or more application connectors, or is refused at start;
 * the shipped example splits the ports and keeps the admin port on loopback.
 */
class CallbackPortConfigurationTest {
  private static final String BASE =
      "database: {driverClass: org.postgresql.Driver, url: 'jdbc:postgresql://db/x'}\n"
          + "callbacks: {jwtSecret: an-example-secret-of-at-least-32-bytes, port: 8082}\n";

  private static TrainyardApiConfiguration parse(String yaml) throws Exception {
    return new YamlConfigurationFactory<>(
            TrainyardApiConfiguration.class,
            Validators.newValidator(),
            Jackson.newObjectMapper(),
            "dw")
        .build(
            path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "inline.yml");
  }

  @Test
  void aCallbackPortMustBeOneOfSeveralApplicationConnectors() throws Exception {
    String two =
        "server:\n  applicationConnectors:\n    - {type: http, port: 8080}\n"
            + "    - {type: http, port: 8082}\n";
    assertThat(parse(BASE + two).getCallbacks().getPort()).isEqualTo(8082);

    for (String server :
        new String[] {
          // no connector on that port
          "server:\n  applicationConnectors:\n    - {type: http, port: 8080}\n"
              + "    - {type: http, port: 8083}\n",
          // the callbacks' connector alone: no user port left
          "server:\n  applicationConnectors:\n    - {type: http, port: 8082}\n",
          // Dropwizard's default: one connector on 8080
          "",
          // one connector for everything
          "server: {type: simple, connector: {type: http, port: 8082}}\n",
        }) {
      assertThatThrownBy(() -> parse(BASE + server))
          .as(server)
          .isInstanceOf(ConfigurationValidationException.class)
          .hasMessageContaining("callbacks.port (TRAINYARD_CALLBACK_PORT) must be the port of");
    }
  }

  @Test
  void outOfRangePortsAreRefused() {
    for (String port : new String[] {"0", "-1", "65536"}) {
      assertThatThrownBy(() -> parse(BASE.replace("port: 8082", "port: " + port)))
          .as(port)
          .isInstanceOf(ConfigurationValidationException.class)
          .hasMessageContaining("callbacks.port");
    }
  }

  @Test
  void withoutACallbackPortEveryConnectorServesBoth() throws Exception {
    TrainyardApiConfiguration config = parse(BASE.replace(", port: 8082", ""));
    assertThat(config.getCallbacks().getPort()).isNull();
  }

  @Test
  void theShippedExampleSplitsThePortsAndKeepsTheAdminPortOnLoopback() throws Exception {
    String yaml =
        new String(
                new ResourceConfigurationSourceProvider().open("example-api.yml").readAllBytes(),
                StandardCharsets.UTF_8)
            .replace("${TRAINYARD_JWT_SECRET:-}", "an-example-secret-of-at-least-32-bytes")
            .replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
    TrainyardApiConfiguration config = parse(yaml);
    DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
    assertThat(config.getCallbacks().getPort()).isEqualTo(8082);
    assertThat(server.getApplicationConnectors())
        .extracting(c -> ((HttpConnectorFactory) c).getPort())
        .containsExactly(8080, 8082);
    assertThat(server.getApplicationConnectors())
        .extracting(c -> ((HttpConnectorFactory) c).getBindHost())
        .as("users and trainers reach these from other machines")
        .containsOnlyNulls();
    assertThat(server.getAdminConnectors())
        .singleElement()
        .satisfies(
            admin -> {
              assertThat(((HttpConnectorFactory) admin).getBindHost()).isEqualTo("127.0.0.1");
              assertThat(((HttpConnectorFactory) admin).getPort()).isEqualTo(8081);
            });
  }
}
