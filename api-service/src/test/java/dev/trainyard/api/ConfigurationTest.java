package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.api.http.RequestLogGuard;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The configuration refuses to start without a usable callback secret, except in dev mode. */
class ConfigurationTest {
  private final YamlConfigurationFactory<TrainyardApiConfiguration> factory =
      new YamlConfigurationFactory<>(
          TrainyardApiConfiguration.class,
          Validators.newValidator(),
          Jackson.newObjectMapper(),
          "dw");

  private TrainyardApiConfiguration parse(String yaml) throws Exception {
    String withDatabase =
        yaml.contains("database:")
            ? yaml
            : "database: {driverClass: org.postgresql.Driver, url: 'jdbc:postgresql://db/x'}\n"
                + yaml;
    return factory.build(
        path -> new ByteArrayInputStream(withDatabase.getBytes(StandardCharsets.UTF_8)),
        "inline.yml");
  }

  @Test
  void secretIsRequiredOutsideDevMode() {
    assertThatThrownBy(() -> parse("database: {driverClass: org.postgresql.Driver, url: x}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("callbacks.jwtSecret must be set");
  }

  @Test
  void shortSecretIsRefusedEvenInDevMode() {
    assertThatThrownBy(() -> parse("devMode: true\ncallbacks: {jwtSecret: short}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void devModeMayOmitTheSecretAndDefaultsApply() throws Exception {
    TrainyardApiConfiguration config = parse("devMode: true\n");
    assertThat(config.getTemporal().getTarget()).isEqualTo("localhost:7233");
    assertThat(config.getTemporal().getNamespace()).isEqualTo("default");
    assertThat(config.getCallbacks().getMaxBodyBytes()).isEqualTo(262144);
    assertThat(config.getUserApi().getMaxBodyBytes()).isEqualTo(1048576);
    assertThat(config.getCallbacks().toString()).doesNotContain("null").contains("redacted");
  }

  @Test
  void temporalTargetMustBeHostAndPort() {
    assertThatThrownBy(() -> parse("devMode: true\ntemporal: {target: 'http://x'}\n"))
        .hasMessageContaining("must be host:port");
  }

  @Test
  void exampleConfigurationParsesWithASecret() throws Exception {
    YamlConfigurationFactory<TrainyardApiConfiguration> example =
        new YamlConfigurationFactory<>(
            TrainyardApiConfiguration.class,
            Validators.newValidator(),
            Jackson.newObjectMapper(),
            "dw");
    String yaml =
        new String(
                new ResourceConfigurationSourceProvider().open("example-api.yml").readAllBytes(),
                StandardCharsets.UTF_8)
            .replace("${TRAINYARD_JWT_SECRET:-}", "an-example-secret-of-at-least-32-bytes")
            .replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
    TrainyardApiConfiguration config =
        example.build(
            path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
            "example-api.yml");
    RequestLogGuard.check(config.getServerFactory());
    assertThat(config.isDevMode()).isFalse();
  }

  @Test
  void requestLogFormatsThatPrintCredentialsAreRecognised() {
    assertThat(RequestLogGuard.leaksCredentials("%h \"%r\" %i{Authorization}")).isTrue();
    assertThat(RequestLogGuard.leaksCredentials("%fullRequest")).isTrue();
    assertThat(RequestLogGuard.leaksCredentials("%h %l %u \"%r\" %s %b")).isFalse();
  }
}
