package dev.trainyard.e2e.deploy;

import dev.trainyard.e2e.support.ChildProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the Job controller, the scheduler and the kubelet for the Jobs the workers create in the
 * mock cluster: a pod from each resumed Job's template (with the controller's job-name label),
 * Running, and its trainer container run for real: the trainer image's entrypoint and environment
 * (trainer-ultralytics/Dockerfile) plus the pod's, its Secret's values included, with the trainer
 * venv standing in for the image's Python. When the trainer exits, the pod ends with its exit code,
 * and its output is the pod's log.
 */
final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, DockerfileStages.Stage> images;
  private final MockCluster cluster;
  private final ShapeNetwork network;
  private final Path pods;
  private final Map<String, ChildProcess> trainers = new ConcurrentHashMap<>();
  private final Map<String, String> podOfJob = new ConcurrentHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Thread loop;
  private volatile boolean running = true;

  FakeKubelet(
      MockCluster cluster,
      String namespace,
      Map<String, DockerfileStages.Stage> images,
      ShapeNetwork network,
      Path pods) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.namespace = namespace;
    this.images = images;
    this.network = network;
    this.pods = pods;
    this.loop = new Thread(this::run, "fake-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  /** What went wrong running a pod (an unknown image, a missing Secret): the test reports it. */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** The pod {@code jobName}'s trainer ran in, once it has one. */
  String podOf(String jobName) {
    return podOfJob.get(jobName);
  }

  private void run() {
    while (running) {
      try {
        for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
          String name = job.getMetadata().getName();
          if (!podOfJob.containsKey(name) && !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            start(job);
          }
        }
        trainers.forEach(this::finishIfExited);
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | IOException e) {
        synchronized (this) {
          problems.add(e.toString());
        }
      }
    }
  }

  private void start(Job job) throws IOException {
    String jobName = job.getMetadata().getName();
    Map<String, String> labels =
        new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", jobName);
    labels.put("batch.kubernetes.io/job-name", jobName);
    String podName = jobName + "-x7k2p";
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(podName)
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withCreationTimestamp(Instant.now().toString())
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .withNewStatus()
                    .withPhase("Pending")
                    .endStatus()
                    .build())
            .create();
    podOfJob.put(jobName, podName);
    Container container = pod.getSpec().getContainers().get(0);
    DockerfileStages.Stage image = images.get(container.getImage());
    if (image == null) {
      throw new IllegalStateException(
          "pod " + podName + " runs image " + container.getImage() + ", which no test builds");
    }
    Path root = pods.resolve(podName);
    ContainerFiles files = new ContainerFiles(root.resolve("root"));
    files.install(image, ShapeStack.trainerVenv());
    Map<String, String> env = new LinkedHashMap<>();
    image.environment().forEach((k, v) -> env.put(k, files.rewrite(v)));
    // the pod's own values come from the worker, whose environment is already this machine's
    podEnvironment(container).forEach((k, v) -> env.put(k, network.rewrite(v)));
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", files.at("/tmp").toString());
    List<String> command = new ArrayList<>(image.entrypoint());
    if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      command = new ArrayList<>(container.getCommand());
    }
    command.addAll(container.getArgs() == null ? List.of() : container.getArgs());
    command = new ArrayList<>(files.rewrite(command));
    if (command.get(0).equals("python")) { // the image's Python is the trainer venv's here
      command.set(0, ShapeStack.trainerVenv().resolve("bin/python").toString());
    }
    Path log = root.resolve("pod.log");
    cluster.podLog(namespace, podName, log);
    ChildProcess trainer =
        ChildProcess.startIsolated(
            podName, command, env, Files.createDirectories(files.at(image.workdir())), log);
    trainers.put(podName, trainer);
    setStatus(podName, "Running", null);
  }

  private Map<String, String> podEnvironment(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      if (source.getSecretRef() != null) {
        env.putAll(secret(source.getSecretRef().getName()));
      } else if (source.getConfigMapRef() != null) {
        ConfigMap map =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(source.getConfigMapRef().getName())
                .get();
        env.putAll(map.getData());
      }
    }
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
        var ref = variable.getValueFrom().getSecretKeyRef();
        env.put(variable.getName(), secret(ref.getName()).get(ref.getKey()));
      } else {
        env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
      }
    }
    return env;
  }

  /** A Secret's values; the mock stores stringData as written (no API server folds it). */
  private Map<String, String> secret(String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException("the pod needs Secret " + name + ", which does not exist");
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private void finishIfExited(String podName, ChildProcess trainer) {
    try {
      Integer exit = trainer.exitCode(java.time.Duration.ZERO);
      if (exit != null) {
        trainers.remove(podName);
        setStatus(podName, exit == 0 ? "Succeeded" : "Failed", exit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void setStatus(String podName, String phase, Integer exitCode) {
    Pod current = client.pods().inNamespace(namespace).withName(podName).get();
    var state =
        new ContainerStatusBuilder().withName(current.getSpec().getContainers().get(0).getName());
    if (exitCode == null) {
      state
          .withNewState()
          .withNewRunning()
          .withStartedAt(Instant.now().toString())
          .endRunning()
          .endState();
    } else {
      state
          .withNewState()
          .withNewTerminated()
          .withExitCode(exitCode)
          .withReason(exitCode == 0 ? "Completed" : "Error")
          .withFinishedAt(Instant.now().toString())
          .endTerminated()
          .endState();
    }
    Pod updated =
        new PodBuilder(current)
            .withNewStatus()
            .withPhase(phase)
            .withConditions(
                new PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("True")
                    .withLastTransitionTime(Instant.now().toString())
                    .build())
            .withContainerStatuses(state.build())
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(updated).updateStatus();
  }

  @Override
  public void close() {
    running = false;
    loop.interrupt();
    trainers.values().forEach(ChildProcess::close);
  }
}
