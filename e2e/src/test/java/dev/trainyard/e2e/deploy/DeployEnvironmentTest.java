package dev.trainyard.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.e2e.support.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each container of docker-compose.yml and deploy/k8s gets exactly the variables its own process
 * reads, checked per container (the API's and the worker's names are never pooled): a variable a
 * deploy file sets that the process never reads is an error, so is one it reads without a default
 * that nothing sets; a name means one thing (one default) in both processes; the containers of a
 * shape agree on the values they share. DeployShapesIT then runs those containers.
 */
class DeployEnvironmentTest {
  /** Set to different values on purpose: each worker has a jobs folder of its own. */
  private static final Set<String> PER_CONTAINER = Set.of("TRAINYARD_JOBS_DIR");

  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(_PASSWORD|_SECRET|_SECRET_KEY|_ACCESS_KEY)$");

  static DockerfileStages images;
  static List<ContainerSpec> containers;

  @BeforeAll
  static void read() throws IOException {
    images = DockerfileStages.read(Repository.file(ComposeFile.DOCKERFILE));
    containers = new ArrayList<>();
    containers.addAll(
        ComposeFile.read(ComposeFile.dotEnvFromExample(Repository.file(".env.example")))
            .trainyardContainers());
    containers.addAll(KubernetesFiles.read().trainyardContainers());
  }

  static ProcessVariables variables(ContainerSpec container) throws IOException {
    return ProcessVariables.of(container, images);
  }

  @Test
  void bothShapesRunTheApiAndWorkersFromTheShippedConfigurations() {
    assertThat(containers)
        .extracting(c -> c.shape() + " " + c.process() + " " + c.configFile())
        .contains(
            "compose server /opt/trainyard/config/api.yml",
            "compose worker /opt/trainyard/config/worker.yml",
            "kubernetes server /opt/trainyard/config/api.yml",
            "kubernetes worker /opt/trainyard/config/worker.yml");
    assertThat(containers.stream().filter(c -> c.process().equals("worker")).count())
        .as("two workers in each shape")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void everyVariableADeployFileSetsIsReadByThatContainersProcess() throws IOException {
    Map<String, String> unread = new TreeMap<>();
    for (ContainerSpec container : containers) {
      ProcessVariables reads = variables(container);
      for (String variable : container.environment().keySet()) {
        if (!reads.reads(variable)) {
          unread.put(container + " " + variable, container.process() + " never reads it");
        }
      }
    }
    assertThat(unread).as("variables set for a process that never reads them").isEmpty();
  }

  @Test
  void everyVariableAProcessNeedsIsSetForItsContainer() throws IOException {
    Map<String, String> missing = new TreeMap<>();
    for (ContainerSpec container : containers) {
      Map<String, String> env = new LinkedHashMap<>(imageEnvironment(container));
      env.putAll(container.environment());
      variables(container)
          .placeholders()
          .values()
          .forEach(
              placeholder -> {
                String name = placeholder.name();
                boolean noDefault = placeholder.defaultValue().isEmpty();
                // an empty default of a secret is no value: the process refuses to start without
                boolean emptySecret =
                    SECRET_NAME.matcher(name).matches()
                        && placeholder.defaultValue().orElse("").isEmpty();
                if ((noDefault || emptySecret) && env.getOrDefault(name, "").isEmpty()) {
                  missing.put(container + " " + name, noDefault ? "no default" : "a secret");
                }
              });
    }
    assertThat(missing).as("variables a process needs that its container does not set").isEmpty();
  }

  @Test
  void everyTrainyardVariableAnImageSetsIsReadByAProcessRunOnIt() throws IOException {
    Map<String, Set<String>> readOnStage = new LinkedHashMap<>();
    for (ContainerSpec container : containers) {
      ProcessVariables reads = variables(container);
      for (String variable : imageEnvironment(container).keySet()) {
        if (reads.reads(variable)) {
          readOnStage
              .computeIfAbsent(container.imageStage(), s -> new LinkedHashSet<>())
              .add(variable);
        }
      }
    }
    for (String stage : Set.of("trainyard", "worker-ultralytics")) {
      images.stage(stage).environment().keySet().stream()
          .filter(name -> name.startsWith("TRAINYARD_"))
          .forEach(
              name ->
                  assertThat(readOnStage.getOrDefault(stage, Set.of()))
                      .as("stage " + stage + " sets " + name + ", read by a process run on it")
                      .contains(name));
    }
  }

  /** A local trainer in a compose worker runs as it would in its own image (offline, checksums). */
  @Test
  void theWorkerImageGivesLocalTrainersTheTrainerImagesEnvironment() throws IOException {
    Map<String, String> trainerImage =
        DockerfileStages.read(
                Repository.file("trainer-ultralytics/Dockerfile"), "trainer-ultralytics")
            .last()
            .environment();
    Map<String, String> workerImage = images.stage("worker-ultralytics").environment();
    Map<String, String> trainerRuntime = new TreeMap<>();
    trainerImage.forEach(
        (name, value) -> {
          if (name.startsWith("YOLO_") || name.startsWith("AWS_") || name.startsWith("TRAINER_")) {
            trainerRuntime.put(name, value);
          }
        });
    assertThat(trainerRuntime).isNotEmpty();
    assertThat(workerImage).containsAllEntriesOf(trainerRuntime);
    assertThat(workerImage.get("TRAINYARD_TRAINER_COMMAND_ULTRALYTICS"))
        .as(
            "the worker image's ultralytics command runs its venv's Python on the trainer it copies")
        .startsWith(
            images.stage("worker-ultralytics").virtualEnvironments().get(0) + "/bin/python ")
        .endsWith(" /opt/trainyard/trainer-ultralytics/train.py");
    assertThat(
            images
                .stage("worker-ultralytics")
                .contextFile("/opt/trainyard/trainer-ultralytics/train.py"))
        .contains("trainer-ultralytics/train.py");
  }

  @Test
  void aVariableBothProcessesReadHasOneDefault() throws IOException {
    ProcessVariables api =
        ProcessVariables.of(
            "server", Repository.file("api-service/src/main/resources/example-api.yml"));
    ProcessVariables worker =
        ProcessVariables.of(
            "worker", Repository.file("worker/src/main/resources/example-worker.yml"));
    Set<String> shared = new LinkedHashSet<>(api.placeholders().keySet());
    shared.retainAll(worker.placeholders().keySet());

    assertThat(shared)
        .as("one name for one setting in both processes")
        .contains(
            "TRAINYARD_DB_URL",
            "TRAINYARD_TEMPORAL_TARGET",
            "TRAINYARD_TEMPORAL_NAMESPACE",
            "TRAINYARD_JWT_SECRET",
            "TRAINYARD_S3_ENDPOINT",
            "TRAINYARD_S3_BUCKET",
            "TRAINYARD_S3_ACCESS_KEY",
            "TRAINYARD_S3_SECRET_KEY");
    for (String name : shared) {
      assertThat(worker.placeholders().get(name).defaultValue())
          .as(name + "'s default in example-worker.yml and example-api.yml")
          .isEqualTo(api.placeholders().get(name).defaultValue());
    }
    // the names the issue found apart: TEMPORAL_ADDRESS in one, TRAINYARD_TEMPORAL_TARGET in other
    assertThat(api.placeholders()).doesNotContainKeys("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE");
  }

  @Test
  void theContainersOfAShapeAgreeOnEveryVariableTheyShare() {
    for (String shape : Set.of("compose", "kubernetes")) {
      Map<String, String> seen = new LinkedHashMap<>();
      Map<String, String> where = new LinkedHashMap<>();
      for (ContainerSpec container : containers) {
        if (!container.shape().equals(shape)) {
          continue;
        }
        container
            .environment()
            .forEach(
                (name, value) -> {
                  if (PER_CONTAINER.contains(name)) {
                    return;
                  }
                  String earlier = seen.putIfAbsent(name, value);
                  where.putIfAbsent(name, container.name());
                  assertThat(value)
                      .as(
                          shape
                              + ": "
                              + name
                              + " of "
                              + container.name()
                              + " and "
                              + where.get(name))
                      .isEqualTo(earlier == null ? value : earlier);
                });
      }
    }
  }

  @Test
  void theWorkersOfOneComposeStackKeepTheirTrainersApartAndTheApiSeesThemAll() {
    List<ContainerSpec> compose =
        containers.stream().filter(c -> c.shape().equals("compose")).toList();
    ContainerSpec api =
        compose.stream().filter(c -> c.process().equals("server")).findFirst().orElseThrow();
    String logs = api.environment().get("TRAINYARD_LOGS_JOBS_DIR");
    Set<String> folders = new LinkedHashSet<>();
    for (ContainerSpec worker : compose) {
      if (worker.process().equals("worker")) {
        String jobs = worker.environment().get("TRAINYARD_JOBS_DIR");
        assertThat(folders.add(jobs)).as(worker + " has a jobs folder of its own").isTrue();
        assertThat(jobs).as(worker + "'s jobs folder, under the API's").startsWith(logs + "/");
        assertThat(worker.mounts())
            .as(worker + " mounts the jobs volume where the API reads it")
            .anySatisfy(
                m -> {
                  assertThat(m.path()).isEqualTo(logs);
                  assertThat(m.readOnly()).isFalse();
                  assertThat(api.mounts())
                      .contains(new ContainerSpec.Mount(m.volume(), logs, true));
                });
      }
    }
  }

  /**
   * The code of the server and worker processes reads the environment in the places this test knows
   * and nowhere else: whole-environment reads hand it to the configuration reader, and a named read
   * must be one {@link ProcessVariables#codeReads} lists.
   */
  @Test
  void theProcessesReadTheEnvironmentOnlyThroughTheirConfigurationReaders() throws IOException {
    Set<String> wholeEnvironmentReaders =
        Set.of(
            "app/src/main/java/dev/trainyard/app/server/ServerCommand.java",
            "app/src/main/java/dev/trainyard/app/worker/WorkerCommand.java",
            "api-service/src/main/java/dev/trainyard/api/TrainyardApiApplication.java");
    Pattern getenv = Pattern.compile("System\\.getenv\\(\\s*(\"?)([^)]*)\\1\\s*\\)");
    Set<String> found = new LinkedHashSet<>();
    Path root = Repository.root();
    List<Path> sources = new ArrayList<>();
    for (String module : List.of("api-service", "worker", "activities", "store", "workflows")) {
      sources.add(root.resolve(module + "/src/main/java"));
    }
    // of app, what the server and worker commands run (not the dev stack, the CLI or admin)
    for (String part : List.of("server", "worker", "logging", "temporal")) {
      sources.add(root.resolve("app/src/main/java/dev/trainyard/app/" + part));
    }
    for (Path dir : sources) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          // comments name System.getenv() too; only code counts
          String code =
              Files.readString(file)
                  .replaceAll("(?s)/\\*.*?\\*/", "")
                  .replaceAll("(?m)^\\s*//.*$", "");
          Matcher m = getenv.matcher(code);
          while (m.find()) {
            String relative = root.relativize(file).toString();
            if (m.group(2).isBlank()) {
              assertThat(wholeEnvironmentReaders)
                  .as(relative + " reads the whole environment")
                  .contains(relative);
            } else {
              found.add(relative + ": " + m.group(2));
            }
          }
        }
      }
    }
    assertThat(found)
        .as(
            "named environment reads in the server's and worker's code (add them to"
                + " ProcessVariables.codeReads, or read them through the configuration file)")
        .isEmpty();
  }

  private static Map<String, String> imageEnvironment(ContainerSpec container) {
    return images.stage(container.imageStage()).environment();
  }
}
