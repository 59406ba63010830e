package dev.trainyard.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.e2e.support.ChildProcess;
import dev.trainyard.e2e.support.E2eApi;
import dev.trainyard.e2e.support.Repository;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * deploy/k8s run as written, without a cluster: PostgreSQL with the role and database the operator
 * creates (password from the trainyard-db Secret), Temporal with temporal-config/register.sh, the
 * S3 server holding the trainyard-storage Secret's key, fabric8's mock API server in CRUD mode as
 * the cluster (with {@link FakeKubelet} running each trainer pod's container for real), and the API
 * and worker Deployments' containers as the distribution's {@code server} and {@code worker} with
 * the arguments, ConfigMaps and Secrets the manifests give them; each Service's DNS name reaches
 * the container its selector and target port name. One Ultralytics job end to end: dataset upload,
 * a Kubernetes Job whose pod trains, checkpoint download, the pod's log through the API; then every
 * probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesShapeIT {
  /** The Ultralytics image the worker's ConfigMap names, built from trainer-ultralytics/. */
  private static final String TRAINER_CONTEXT = "trainer-ultralytics";

  private ShapeStack stack;
  private MockCluster cluster;
  private FakeKubelet kubelet;
  private ContainerSpec api;
  private ContainerSpec worker;
  private final Map<ContainerSpec, ChildProcess> running = new LinkedHashMap<>();
  private Map<String, String> platform;
  private ApiClient user;

  @BeforeAll
  void startTheManifestsAsTheClusterWould() throws Exception {
    KubernetesFiles manifests = KubernetesFiles.read();
    stack = new ShapeStack("kubernetes");
    for (ContainerSpec container : manifests.trainyardContainers()) {
      if (container.process().equals("server")) {
        api = container;
      } else {
        worker = container;
      }
    }
    ShapeNetwork network = stack.network;
    String dbPassword = manifests.secret("trainyard-db", "password");
    String dbUser = api.environment().get("TRAINYARD_DB_USER");
    network.route(
        "postgres.trainyard.svc:5432",
        stack.startDatabase(
            List.of(
                "CREATE ROLE " + dbUser + " LOGIN PASSWORD '" + dbPassword + "'",
                "CREATE DATABASE trainyard OWNER " + dbUser)));
    network.route("temporal-frontend.temporal.svc:7233", stack.startTemporal());
    network.route(
        "minio.trainyard.svc:9000",
        stack.startS3(
            manifests.secret("trainyard-storage", "access-key"),
            manifests.secret("trainyard-storage", "secret-key")));
    network.replaceUrl("http://mlflow.trainyard.svc:5000", stack.mlflowFileStore());
    for (Service service : manifests.all(Service.class)) {
      routeService(manifests, service);
    }

    cluster = new MockCluster();
    platform =
        Map.of("KUBECONFIG", cluster.kubeconfig(stack.output.resolve("kubeconfig")).toString());
    String trainerImage = worker.environment().get("TRAINYARD_ULTRALYTICS_IMAGE");
    kubelet =
        new FakeKubelet(
            cluster,
            worker.environment().get("TRAINYARD_TRAINING_NAMESPACE"),
            Map.of(
                trainerImage,
                DockerfileStages.read(
                        Repository.file(TRAINER_CONTEXT + "/Dockerfile"), TRAINER_CONTEXT)
                    .last()),
            network,
            stack.output.resolve("pods"));

    stack.install(List.of(api, worker));
    running.put(api, stack.start(api, platform));
    ContainerSpec.Probe readiness =
        api.probes().stream().filter(p -> p.kind().equals("readiness")).findFirst().orElseThrow();
    running
        .get(api)
        .awaitReady(() -> stack.probeQuietly(api, readiness) == 0, ShapeStack.START_TIMEOUT);
    String key = stack.firstKey(api, platform, E2eApi.PROJECT);
    // one replica of the two the Deployment asks for: they are identical
    running.put(worker, stack.start(worker, platform));
    running
        .get(worker)
        .awaitReady(
            () -> running.get(worker).log().contains("trainyard worker running"),
            ShapeStack.START_TIMEOUT);
    Service users = manifests.service("trainyard-api", "trainyard").orElseThrow();
    user =
        E2eApi.client(
            "http://127.0.0.1:"
                + network.localPort(
                    api.name(),
                    api.ports().get(users.getSpec().getPorts().get(0).getTargetPort().getStrVal())),
            key);
  }

  /** {@code name.namespace.svc:port} reaches the container its selector and target port pick. */
  private void routeService(KubernetesFiles manifests, Service service) {
    Deployment target =
        manifests.all(Deployment.class).stream()
            .filter(
                d ->
                    d.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(service.getSpec().getSelector().entrySet()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError(service.getMetadata().getName() + " selects no pod"));
    ContainerSpec container =
        List.of(api, worker).stream()
            .filter(c -> c.name().startsWith(target.getMetadata().getName() + "/"))
            .findFirst()
            .orElseThrow();
    for (ServicePort port : service.getSpec().getPorts()) {
      Integer containerPort = container.ports().get(port.getTargetPort().getStrVal());
      assertThat(containerPort)
          .as(service.getMetadata().getName() + "'s target port " + port.getTargetPort())
          .isNotNull();
      stack.network.routeToContainer(
          service.getMetadata().getName()
              + "."
              + service.getMetadata().getNamespace()
              + ".svc:"
              + port.getPort(),
          container.name(),
          containerPort);
    }
  }

  @AfterAll
  void stop() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void anUltralyticsJobTrainsInAPodWithItsDatasetCheckpointsAndLog() throws Exception {
    JsonNode job = ShapeJob.runEndToEnd(user, stack.output, () -> ShapeStack.logTails(running));

    assertThat(kubelet.problems()).isEmpty();
    // trained in the pod of a Job with the image the worker's ConfigMap names; the API served
    // that pod's log (logs.kubernetes)
    Job kubernetesJob =
        cluster
            .client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(worker.environment().get("TRAINYARD_TRAINING_NAMESPACE"))
            .withName("trainyard-job-" + job.path("job_id").asLong())
            .get();
    assertThat(kubernetesJob.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(worker.environment().get("TRAINYARD_ULTRALYTICS_IMAGE"));
    assertThat(kubelet.podOf(kubernetesJob.getMetadata().getName())).isNotNull();
  }

  @Test
  @Order(2)
  void everyProbePassesAndTheApiSeesTemporalAndStorage() throws Exception {
    stack.assertEveryProbePasses(running);
    JsonNode health = DeployHealth.apiHealth(stack, api);
    assertThat(health.path("temporal").path("healthy").asBoolean()).as(health.toString()).isTrue();
    assertThat(health.path("storage").path("healthy").asBoolean()).as(health.toString()).isTrue();
  }
}
