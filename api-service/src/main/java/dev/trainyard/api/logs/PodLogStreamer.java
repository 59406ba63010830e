package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.Loggable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Serves a Kubernetes trainer's log from its pod (the newest pod of its Job): the last lines, or a
 * follow stream that ends when the container does. Needs get/list on pods and get on pods/log.
 */
final class PodLogStreamer {
  static final String CONTAINER = "trainer";

  private final KubernetesClient client;
  private final String namespace;

  PodLogStreamer(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** The Job's newest pod, checked before any byte is streamed; empty once it is gone. */
  Optional<String> podOf(String jobNamespace, String jobName) {
    if (!namespace.equals(jobNamespace)) {
      throw new ApiException(
          403, "the job's trainer runs outside the configured training namespace");
    }
    try {
      return client
          .pods()
          .inNamespace(namespace)
          .withLabel("job-name", jobName)
          .list()
          .getItems()
          .stream()
          .max(
              Comparator.comparing(
                  (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp())))
          .map(p -> p.getMetadata().getName());
    } catch (KubernetesClientException e) {
      throw new ApiException(
          503, "the Kubernetes API cannot list the trainer's pods: HTTP " + e.getCode());
    }
  }

  /** The pod's last {@code lines} lines, tokens masked. */
  List<String> tail(String pod, int lines) {
    String text = logs(pod, lines).getLog();
    return Arrays.stream((text == null ? "" : text).split("\n"))
        .filter(line -> !line.isEmpty())
        .map(TokenMask::apply)
        .toList();
  }

  private Loggable logs(String pod, int lines) {
    return client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .inContainer(CONTAINER)
        .tailingLines(lines);
  }

  void stream(String pod, int lines, boolean follow, OutputStream out) throws IOException {
    if (!follow) {
      for (String line : tail(pod, lines)) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      return;
    }
    try (LogWatch watch = logs(pod, lines).watchLog();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.write((TokenMask.apply(line) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }
}
