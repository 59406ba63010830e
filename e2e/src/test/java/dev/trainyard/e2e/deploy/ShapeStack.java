package dev.trainyard.e2e.deploy;

import dev.trainyard.app.dev.EmbeddedS3;
import dev.trainyard.app.dev.TrainerFrameworks;
import dev.trainyard.e2e.support.ChildProcess;
import dev.trainyard.e2e.support.Distribution;
import dev.trainyard.e2e.support.Executables;
import dev.trainyard.e2e.support.Repository;
import dev.trainyard.e2e.support.TemporalDevServer;
import dev.trainyard.store.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One deploy shape on this machine: local stand-ins for the servers its files name (embedded
 * PostgreSQL, {@code temporal server start-dev} with temporal-config/register.sh run against it,
 * the dev stack's S3 server and MLflow file store) and its Trainyard containers as processes of the
 * distribution, each with exactly the environment its image stage and deploy file give it, its host
 * names routed ({@link ShapeNetwork}) and its paths inside the shape's file system ({@link
 * ContainerFiles}). The only variables added are what a container platform provides or a shared
 * machine needs: PATH, HOME, a free local port for each port the process listens on (named by its
 * own {@code *_PORT} placeholder), a local folder for a path default, and on Kubernetes the
 * cluster's address (KUBECONFIG, for the service account a pod would have).
 */
final class ShapeStack implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  final String shape;
  final Path output;
  final DockerfileStages images;
  final ContainerFiles files;
  final ShapeNetwork network = new ShapeNetwork();
  private final String classpath;
  private final List<AutoCloseable> services = new ArrayList<>();
  private final List<ChildProcess> containers = new ArrayList<>();
  EmbeddedDatabase database;
  TemporalDevServer temporal;
  EmbeddedS3 s3;

  ShapeStack(String shape) throws IOException {
    this.shape = shape;
    this.output = Repository.outputDirectory().resolveSibling("deploy-shapes").resolve(shape);
    Distribution.deleteRecursively(output);
    Files.createDirectories(output.resolve("logs"));
    this.images = DockerfileStages.read(Repository.file(ComposeFile.DOCKERFILE));
    this.files = new ContainerFiles(output.resolve("root"));
    this.classpath = Distribution.classpath();
  }

  Path logs() {
    return output.resolve("logs");
  }

  /** PostgreSQL, with {@code statements} run as its superuser (the roles and databases). */
  int startDatabase(List<String> statements) throws SQLException {
    database = EmbeddedDatabase.startTemporary();
    services.add(database);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    return database.port();
  }

  int startTemporal() throws IOException, InterruptedException {
    temporal =
        TemporalDevServer.start(Executables.temporal(), output.resolve("temporal.db"), logs());
    services.add(temporal);
    return Integer.parseInt(temporal.target().substring(temporal.target().indexOf(':') + 1));
  }

  int startS3(String accessKey, String secretKey) throws Exception {
    s3 = EmbeddedS3.start(output.resolve("s3"), 0, accessKey, secretKey);
    services.add(s3);
    return s3.port();
  }

  /** MLflow's server is not installed here: the dev stack's file store stands in for it. */
  String mlflowFileStore() {
    return output.resolve("mlruns").toUri().toString();
  }

  /** The trainer venv (trainer-ultralytics/README.md), which stands in for the image's. */
  static Path trainerVenv() {
    Path python = TrainerFrameworks.python(System.getenv());
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "DeployShapesIT runs the Ultralytics trainer with the trainer venv, which is missing: "
              + python
              + " (trainer-ultralytics/install-venv.sh, or set "
              + TrainerFrameworks.PYTHON_ENV
              + ")");
    }
    return python.getParent().getParent();
  }

  /** Lays out the image stages and volumes the containers use. */
  void install(List<ContainerSpec> specs) throws IOException {
    for (ContainerSpec spec : specs) {
      files.install(images.stage(spec.imageStage()), trainerVenv());
    }
    for (ContainerSpec spec : specs) {
      for (ContainerSpec.Mount mount : spec.mounts()) {
        files.mount(mount.path());
      }
    }
  }

  /** The environment {@code spec}'s process runs with (see the class comment). */
  Map<String, String> environment(ContainerSpec spec, Map<String, String> platform)
      throws IOException {
    ProcessVariables reads = ProcessVariables.of(spec, images);
    Map<String, String> env = new LinkedHashMap<>();
    images
        .stage(spec.imageStage())
        .environment()
        .forEach(
            (name, value) -> {
              if (!name.equals("PATH") && !name.equals("JAVA_HOME")) {
                env.put(name, local(value));
              }
            });
    spec.environment().forEach((name, value) -> env.put(name, local(value)));
    for (ProcessVariables.Placeholder placeholder : reads.placeholders().values()) {
      String name = placeholder.name();
      String value = reads.effective(name, spec.environment()).orElse("");
      if (name.endsWith("_PORT") && value.matches("[1-9][0-9]{1,4}")) {
        env.put(name, Integer.toString(network.localPort(spec.name(), Integer.parseInt(value))));
      } else if (!env.containsKey(name) && value.startsWith("/")) {
        env.put(name, files.rewrite(value));
      }
    }
    Path home = Files.createDirectories(files.at("/var/lib/trainyard"));
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv("PATH"));
    env.putAll(platform);
    return env;
  }

  private String local(String value) {
    return files.rewrite(network.rewrite(value));
  }

  /** Starts {@code spec}'s process: the image's entrypoint with the container's arguments. */
  ChildProcess start(ContainerSpec spec, Map<String, String> platform) throws IOException {
    DockerfileStages.Stage stage = images.stage(spec.imageStage());
    List<String> entrypoint = stage.entrypoint();
    if (entrypoint.size() != 4
        || !entrypoint.get(0).equals("java")
        || !entrypoint.get(1).equals("-cp")) {
      throw new AssertionError(
          "stage " + stage.name() + "'s entrypoint is not java -cp … Main: " + entrypoint);
    }
    List<String> command =
        new ArrayList<>(
            List.of(JAVA, "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath, entrypoint.get(3)));
    command.addAll(files.rewrite(spec.args()));
    ChildProcess process =
        ChildProcess.startIsolated(
            spec.name(),
            command,
            environment(spec, platform),
            Files.createDirectories(files.at(stage.workdir())),
            logs().resolve(spec.name().replace('/', '-') + ".log"));
    containers.add(process);
    return process;
  }

  /**
   * Runs {@code trainyard admin create-key} in {@code api}'s container, as docs/operations.md tells
   * an operator to make the first key; returns the key.
   */
  String firstKey(ContainerSpec api, Map<String, String> platform, String project)
      throws IOException, InterruptedException {
    DockerfileStages.Stage stage = images.stage(api.imageStage());
    List<String> command =
        new ArrayList<>(List.of(JAVA, "-Xmx256m", "-cp", classpath, stage.entrypoint().get(3)));
    command.addAll(
        List.of(
            "admin",
            "create-key",
            "--config",
            files.at(api.configFile()).toString(),
            "--project",
            project,
            "--create-project",
            "--role",
            "admin",
            "--name",
            "deploy-shape"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(files.at(stage.workdir()).toFile())
            .redirectError(logs().resolve("admin-create-key.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(environment(api, platform));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    if (process.waitFor() != 0 || !out.startsWith("ty_")) {
      throw new IllegalStateException(
          "trainyard admin create-key failed; see " + logs().resolve("admin-create-key.log"));
    }
    return out;
  }

  /** Runs a healthcheck or probe as the container would (its loopback ports made local). */
  int probe(ContainerSpec spec, ContainerSpec.Probe probe)
      throws IOException, InterruptedException {
    List<String> command =
        probe.command().stream().map(part -> network.rewriteInside(spec.name(), part)).toList();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve("probes.log").toFile()))
            .start();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  /** {@link #probe}, -1 for a probe that could not run. */
  int probeQuietly(ContainerSpec spec, ContainerSpec.Probe probe) {
    try {
      return probe(spec, probe);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Every healthcheck and probe of every running container exits 0; a failure names the ports the
   * container's process listens on (a probe of another port cannot pass).
   */
  void assertEveryProbePasses(Map<ContainerSpec, ChildProcess> running) throws IOException {
    for (Map.Entry<ContainerSpec, ChildProcess> container : running.entrySet()) {
      ContainerSpec spec = container.getKey();
      for (ContainerSpec.Probe probe : spec.probes()) {
        org.assertj.core.api.Assertions.assertThat(probeQuietly(spec, probe))
            .as(
                spec
                    + " "
                    + probe
                    + " (its "
                    + spec.configFile()
                    + " listens on "
                    + listenPorts(spec)
                    + ")\n"
                    + container.getValue().log())
            .isZero();
      }
    }
  }

  /** Each {@code *_PORT} placeholder of the process's file with the port it comes to. */
  private Map<String, String> listenPorts(ContainerSpec spec) throws IOException {
    ProcessVariables reads = ProcessVariables.of(spec, images);
    Map<String, String> ports = new java.util.TreeMap<>();
    for (String name : reads.placeholders().keySet()) {
      if (name.endsWith("_PORT")) {
        ports.put(name, reads.effective(name, spec.environment()).orElse(""));
      }
    }
    return ports;
  }

  /** The last lines of each running container's log, for a failure's message. */
  static String logTails(Map<ContainerSpec, ChildProcess> running) {
    StringBuilder text = new StringBuilder();
    running.forEach(
        (spec, process) -> {
          String log = process.log();
          text.append("--- ").append(spec).append('\n');
          text.append(log.length() > 3000 ? log.substring(log.length() - 3000) : log);
        });
    return text.toString();
  }

  /** The Trainyard processes first (SIGTERM), then the servers, newest first. */
  @Override
  public void close() {
    for (int i = containers.size() - 1; i >= 0; i--) {
      containers.get(i).close();
    }
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        System.err.println("deploy shapes: closing " + services.get(i) + " failed: " + e);
      }
    }
  }
}
