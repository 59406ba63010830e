package dev.trainyard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.e2e.support.ComposeYaml;
import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /**
   * The scrape config the profile mounts must name the stack's own processes where they listen: a
   * renamed or added worker, a port moved, or an admin port left on a container's loopback would
   * leave Prometheus (and every alert on {@code up}) blind without anything failing.
   */
  @Test
  void prometheusScrapesEveryApiAndWorkerOfTheStackOnItsAdminPort() throws IOException {
    JsonNode scrape =
        new ObjectMapper(new YAMLFactory())
            .readTree(Repository.file("deploy/observability/prometheus/prometheus.yml").toFile());
    Map<String, Set<String>> targets = new HashMap<>();
    for (JsonNode job : scrape.path("scrape_configs")) {
      Set<String> hosts = new HashSet<>();
      for (JsonNode config : job.path("static_configs")) {
        config.path("targets").forEach(target -> hosts.add(target.asText()));
      }
      targets.put(job.path("job_name").asText(), hosts);
    }
    Set<String> apis = new HashSet<>();
    Set<String> workers = new HashSet<>();
    ComposeYaml.tree() // merge keys resolved: the workers are copies of x-worker
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode command = service.getValue().path("command");
              // the distribution's own processes: `server` or `worker` with the image's config
              String process =
                  command.path(1).asText().startsWith("/opt/trainyard/config/")
                      ? command.path(0).asText()
                      : "";
              JsonNode environment = service.getValue().path("environment");
              if (process.equals("server")) {
                apis.add(
                    service.getKey() + ":" + environment.path("TRAINYARD_ADMIN_PORT").asText());
              } else if (process.equals("worker")) {
                workers.add(service.getKey() + ":8084"); // example-worker.yml's default
                assertThat(environment.has("TRAINYARD_WORKER_ADMIN_PORT"))
                    .as(service.getKey() + " keeps the default worker admin port")
                    .isFalse();
              } else {
                return;
              }
              assertThat(environment.path("TRAINYARD_ADMIN_BIND_HOST").asText())
                  .as(service.getKey() + "'s admin port on the compose network")
                  .isEqualTo("0.0.0.0");
              assertThat(service.getValue().path("ports").toString())
                  .as(service.getKey() + " never publishes its admin port")
                  .doesNotContain("8081", "8084");
            });
    assertThat(apis).isNotEmpty();
    assertThat(workers).isNotEmpty();
    assertThat(targets.get("trainyard-api")).isEqualTo(apis);
    assertThat(targets.get("trainyard-worker")).isEqualTo(workers);
    for (JsonNode rules : scrape.path("rule_files")) {
      String file = rules.asText();
      assertThat(file).startsWith("/etc/prometheus/alerts/");
      String name = file.substring("/etc/prometheus/alerts/".length());
      assertThat(mount("prometheus", "/etc/prometheus/alerts"))
          .isEqualTo("./deploy/observability/alerts");
      assertThat(Repository.file("deploy/observability/alerts/" + name)).isRegularFile();
    }
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
