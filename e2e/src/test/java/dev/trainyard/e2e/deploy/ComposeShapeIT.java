package dev.trainyard.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.e2e.support.ChildProcess;
import dev.trainyard.e2e.support.E2eApi;
import dev.trainyard.e2e.support.Repository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker-compose.yml run as written, without Docker: a .env made as .env.example says, PostgreSQL
 * set up by the postgres image's initdb script, Temporal with temporal-config/register.sh (the
 * temporal-setup job), the S3 server holding the key minio-buckets would make, and the api-service
 * and both worker containers as the distribution's {@code server} and {@code worker} with the
 * commands, configuration files (app/Dockerfile's) and environment compose gives them, started in
 * compose's order (the API's healthcheck passes before the workers start). One Ultralytics job end
 * to end: dataset upload, training on a worker, checkpoint download, the trainer's log from the
 * shared jobs volume; then every healthcheck. See {@link ShapeStack} for what stands in for what.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeShapeIT {
  private ShapeStack stack;
  private ContainerSpec api;
  private final List<ContainerSpec> workers = new ArrayList<>();
  private final Map<ContainerSpec, ChildProcess> running = new LinkedHashMap<>();
  private ApiClient user;

  @BeforeAll
  void startTheStackAsComposeWould() throws Exception {
    Map<String, String> dotEnv = ComposeFile.dotEnvFromExample(Repository.file(".env.example"));
    ComposeFile compose = ComposeFile.read(dotEnv);
    stack = new ShapeStack("compose");
    for (ContainerSpec container : compose.trainyardContainers()) {
      if (container.process().equals("server")) {
        api = container;
      } else {
        workers.add(container);
      }
    }
    assertThat(workers).hasSizeGreaterThanOrEqualTo(2);

    ShapeNetwork network = stack.network;
    network.route(
        "postgres:5432",
        stack.startDatabase(InitDbScript.statements(compose.environment("postgres"))));
    network.route("temporal:7233", stack.startTemporal());
    network.route(
        "minio:9000",
        stack.startS3(
            dotEnv.get("TRAINYARD_S3_ACCESS_KEY"), dotEnv.get("TRAINYARD_S3_SECRET_KEY")));
    network.replaceUrl("http://mlflow:5000", stack.mlflowFileStore());
    network.containerHosts(List.of(api.name()));
    // the dashboard's links: the browser's addresses of the ports compose publishes
    for (String service : List.of("temporal-ui", "mlflow")) {
      for (String port : compose.ports(service)) {
        String[] parts = port.split(":");
        network.keep("localhost:" + parts[parts.length - 2]);
      }
    }
    stack.install(compose.trainyardContainers());

    running.put(api, stack.start(api, Map.of()));
    // compose starts the workers once the API's healthcheck passes (depends_on: service_healthy)
    ContainerSpec.Probe healthcheck = api.probes().get(0);
    running
        .get(api)
        .awaitReady(() -> stack.probeQuietly(api, healthcheck) == 0, ShapeStack.START_TIMEOUT);
    String key = stack.firstKey(api, Map.of(), E2eApi.PROJECT);
    for (ContainerSpec worker : workers) {
      running.put(worker, stack.start(worker, Map.of()));
    }
    for (ContainerSpec worker : workers) {
      running
          .get(worker)
          .awaitReady(
              () -> running.get(worker).log().contains("trainyard worker running"),
              ShapeStack.START_TIMEOUT);
    }
    // users reach the API on the port compose publishes
    String published = compose.ports(api.name()).get(0);
    int userPort = Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
    user = E2eApi.client("http://127.0.0.1:" + network.localPort(api.name(), userPort), key);
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void anUltralyticsJobRunsOnAWorkerWithItsDatasetCheckpointsAndLog() throws Exception {
    JsonNode job = ShapeJob.runEndToEnd(user, stack.output, () -> ShapeStack.logTails(running));

    // the API read the log from the jobs volume, in the folder of the worker that ran it
    long jobId = job.path("job_id").asLong();
    assertThat(
            workers.stream()
                .map(w -> stack.files.at(w.environment().get("TRAINYARD_JOBS_DIR")))
                .filter(
                    folder -> Files.isRegularFile(folder.resolve("job-" + jobId + "/trainer.log"))))
        .hasSize(1);
  }

  @Test
  @Order(2)
  void everyHealthcheckPassesAndTheApiSeesTemporalAndStorage() throws Exception {
    stack.assertEveryProbePasses(running);
    JsonNode health = DeployHealth.apiHealth(stack, api);
    assertThat(health.path("temporal").path("healthy").asBoolean()).as(health.toString()).isTrue();
    assertThat(health.path("storage").path("healthy").asBoolean()).as(health.toString()).isTrue();
  }

  static {
    Awaitility.setDefaultPollInterval(Duration.ofMillis(500));
  }
}
