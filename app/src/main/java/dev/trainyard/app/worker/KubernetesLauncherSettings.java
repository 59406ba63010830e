package dev.trainyard.app.worker;

import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig.TrainerResources;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig.TrainerToleration;
import dev.trainyard.app.StartupException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The worker YAML's {@code launcher.kubernetes} block (durations in seconds, as YAML reads them),
 * turned into the launcher's validated configuration and a fabric8 client. Without a kubeconfig the
 * client configures itself: in-cluster service account, then {@code $KUBECONFIG}/~/.kube/config.
 */
public record KubernetesLauncherSettings(
    String kubeconfig,
    String namespace,
    Map<String, String> images,
    String defaultImage,
    String imagePullPolicy,
    List<String> imagePullSecrets,
    String serviceAccount,
    TrainerResources resources,
    Map<String, String> nodeSelector,
    List<TrainerToleration> tolerations,
    Long runAsUser,
    String shmSize,
    Long ttlSecondsAfterFinished,
    Long unschedulableLimitSeconds,
    Long imagePullLimitSeconds,
    Long pollIntervalMillis,
    String backendBaseUrl,
    Map<String, String> extraEnvironment,
    Map<String, String> secretEnvironment,
    List<String> envFromSecrets) {

  KubernetesLauncherConfig toConfig() {
    try {
      return new KubernetesLauncherConfig(
          namespace,
          images,
          defaultImage,
          imagePullPolicy,
          imagePullSecrets,
          serviceAccount,
          resources,
          nodeSelector,
          tolerations,
          runAsUser == null ? 1000 : runAsUser,
          shmSize,
          ttlSecondsAfterFinished == null ? 3600 : ttlSecondsAfterFinished,
          unschedulableLimitSeconds == null ? null : Duration.ofSeconds(unschedulableLimitSeconds),
          imagePullLimitSeconds == null ? null : Duration.ofSeconds(imagePullLimitSeconds),
          pollIntervalMillis == null ? null : Duration.ofMillis(pollIntervalMillis),
          backendBaseUrl,
          extraEnvironment,
          secretEnvironment,
          envFromSecrets);
    } catch (IllegalArgumentException e) {
      throw new StartupException("worker configuration: launcher.kubernetes: " + e.getMessage(), e);
    }
  }

  KubernetesClient client() {
    Config config =
        kubeconfig == null || kubeconfig.isBlank()
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(new File(kubeconfig));
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  // Storage credentials must never reach a log line through the generated toString.
  @Override
  public String toString() {
    return "KubernetesLauncherSettings[namespace="
        + namespace
        + ", images="
        + images
        + ", defaultImage="
        + defaultImage
        + ", secretEnvironment="
        + (secretEnvironment == null ? "{}" : secretEnvironment.keySet())
        + "]";
  }
}
