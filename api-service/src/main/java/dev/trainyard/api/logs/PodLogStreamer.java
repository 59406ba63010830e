package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

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

  /** The Job's pod, checked before any byte is streamed. */
  String podOf(String jobNamespace, String jobName) {
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
          .map(p -> p.getMetadata().getName())
          .orElseThrow(
              () ->
                  new ApiException(
                      404,
                      "the trainer pod of "
                          + jobName
                          + " does not exist (not started yet, or removed after the Job's TTL)"));
    } catch (KubernetesClientException e) {
      throw new ApiException(
          503, "the Kubernetes API cannot list the trainer's pods: HTTP " + e.getCode());
    }
  }

  void stream(String pod, int lines, boolean follow, OutputStream out) throws IOException {
    var logs =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .inContainer(CONTAINER)
            .tailingLines(lines);
    if (!follow) {
      String text = logs.getLog();
      for (String line : (text == null ? "" : text).split("\n", -1)) {
        if (!line.isEmpty()) {
          out.write((TokenMask.apply(line) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      out.flush();
      return;
    }
    try (LogWatch watch = logs.watchLog();
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
