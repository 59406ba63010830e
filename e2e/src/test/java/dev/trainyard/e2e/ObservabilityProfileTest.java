package dev.trainyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's optional {@code observability} profile (Loki, Grafana, Prometheus, Alloy),
 * read as Compose would, since no Docker engine runs here: only in that profile, images pinned,
 * every file it mounts from the repository there, and Grafana given both data sources.
 */
class ObservabilityProfileTest {
  static final Set<String> PROFILE = Set.of("loki", "alloy", "prometheus", "grafana");
  static JsonNode services;

  @BeforeAll
  static void read() throws IOException {
    services =
        new ObjectMapper(new YAMLFactory())
            .readTree(Repository.file("docker-compose.yml").toFile())
            .path("services");
  }

  @Test
  void theProfileHasItsFourServicesAndTheStackWithoutItNone() {
    List<String> inProfile = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode profiles = service.getValue().path("profiles");
              if (profiles.isArray()
                  && profiles.size() == 1
                  && profiles.get(0).asText().equals("observability")) {
                inProfile.add(service.getKey());
              } else {
                assertThat(profiles.isMissingNode()).as(service.getKey()).isTrue();
              }
            });
    assertThat(inProfile).containsExactlyInAnyOrderElementsOf(PROFILE);
    for (String name : PROFILE) {
      assertThat(services.path(name).path("image").asText())
          .as(name + " image, pinned")
          .matches("[a-z/]+:v?\\d+\\.\\d+\\.\\d+");
    }
  }

  @Test
  void everyMountedRepositoryFileIsWhereTheServiceExpectsIt() throws IOException {
    assertThat(mount("alloy", "/etc/alloy/config.alloy"))
        .isEqualTo("./deploy/observability/alloy/compose.alloy");
    assertThat(mount("prometheus", "/etc/prometheus/prometheus.yml"))
        .as("the metrics' scrape config")
        .isEqualTo("./deploy/observability/prometheus/prometheus.yml");
    assertThat(mount("grafana", "/var/lib/grafana/dashboards"))
        .isEqualTo("./deploy/observability/grafana");
    assertThat(mount("grafana", "/etc/grafana/provisioning"))
        .isEqualTo("./deploy/observability/grafana-provisioning");
    assertThat(Repository.file("deploy/observability/alloy/compose.alloy")).isRegularFile();

    String datasources =
        Files.readString(
            Repository.file(
                "deploy/observability/grafana-provisioning/datasources/datasources.yml"));
    assertThat(datasources).contains("url: http://prometheus:9090", "url: http://loki:3100");
    assertThat(
            Files.readString(
                Repository.file(
                    "deploy/observability/grafana-provisioning/dashboards/dashboards.yml")))
        .contains("path: /var/lib/grafana/dashboards");
    assertThat(Files.readString(Repository.file("deploy/observability/alloy/compose.alloy")))
        .contains("http://loki:3100/loki/api/v1/push", "trainyard_job_id", "trainyard_trace_id");
  }

  /** The host side of the service's bind mount onto {@code target}. */
  static String mount(String service, String target) {
    for (JsonNode volume : services.path(service).path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(target)) {
        return parts[0];
      }
    }
    throw new AssertionError(service + " mounts nothing on " + target);
  }
}
