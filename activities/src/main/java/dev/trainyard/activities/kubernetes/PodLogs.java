package dev.trainyard.activities.kubernetes;

import dev.trainyard.activities.LogTail;
import dev.trainyard.activities.logs.TrainerLogSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of a trainer pod's log, for the failure message; masked like the local log tail.
 */
final class PodLogs {
  private PodLogs() {}

  /** The pod's whole log, for the archive: one attempt's output. */
  static TrainerLogSource whole(KubernetesClient client, String namespace, String podName) {
    return new TrainerLogSource() {
      @Override
      public InputStream open() {
        return client
            .pods()
            .inNamespace(namespace)
            .withName(podName)
            .inContainer(TrainerJobNames.CONTAINER)
            .getLogInputStream();
      }

      @Override
      public boolean oneAttempt() {
        return true;
      }
    };
  }

  static String tail(KubernetesClient client, String namespace, String podName) {
    if (podName == null) {
      return "";
    }
    try {
      String log =
          client
              .pods()
              .inNamespace(namespace)
              .withName(podName)
              .inContainer(TrainerJobNames.CONTAINER)
              .tailingLines(LogTail.MAX_LINES)
              .getLog();
      return LogTail.redact(lastBytes(log == null ? "" : log));
    } catch (KubernetesClientException e) {
      // The log is a courtesy: a pod already gone, or a kubelet that refuses, must not hide the
      // exit.
      return "";
    }
  }

  /**
   * The trainer's exit report: its termination message (if the log does not already end with it)
   * and log.
   */
  static String exitReport(String terminationMessage, String logTail) {
    String message = terminationMessage == null ? "" : terminationMessage.strip();
    String log = logTail == null ? "" : logTail.strip();
    String text;
    if (message.isEmpty() || log.endsWith(message)) {
      text = log;
    } else if (log.isEmpty()) {
      text = message;
    } else {
      text = "termination message: " + message + "\n" + log;
    }
    return LogTail.redact(lastBytes(text));
  }

  private static String lastBytes(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= LogTail.MAX_BYTES) {
      return text;
    }
    String cut =
        new String(
            bytes, bytes.length - LogTail.MAX_BYTES, LogTail.MAX_BYTES, StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(cut.split("\n", -1));
    // The first line is a fragment (and may start mid-character): drop it.
    return String.join("\n", lines.subList(Math.min(1, lines.size() - 1), lines.size()));
  }
}
