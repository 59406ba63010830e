package dev.trainyard.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import io.dropwizard.configuration.ConfigurationException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesWorkerConfigurationTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-worker";

  @TempDir Path dir;

  @Test
  void theShippedExampleSelectsTheKubernetesLauncherFromTheEnvironment() throws Exception {
    WorkerConfiguration config =
        WorkerConfigurationFactory.load(
            example(),
            Map.of(
                "TRAINYARD_JWT_SECRET", SECRET,
                "TRAINYARD_LAUNCHER", "kubernetes",
                "TRAINYARD_TRAINING_NAMESPACE", "gpu-training",
                "TRAINYARD_S3_SECRET_KEY", "minio-secret-value"));

    assertThat(config.launcher().isKubernetes()).isTrue();
    KubernetesLauncherConfig launcher = config.launcher().kubernetes().launcher();
    assertThat(launcher.namespace()).isEqualTo("gpu-training");
    assertThat(launcher.imagesByFramework()).containsKey("ultralytics");
    assertThat(launcher.resources().gpus()).isEqualTo(1);
    assertThat(launcher.tolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo("nvidia.com/gpu"));
    assertThat(launcher.unschedulableLimit()).isEqualTo(Duration.ofMinutes(10));
    assertThat(launcher.secretEnvironment())
        .containsEntry("MINIO_SECRET_KEY", "minio-secret-value");
    assertThat(launcher.backendBaseUrl())
        .isEqualTo("http://trainyard-callbacks.trainyard.svc:8082");
    assertThat(config.toString()).doesNotContain("minio-secret-value");
    assertThat(launcher.toString()).doesNotContain("minio-secret-value");
  }

  @Test
  void durationsKeepTheirUnitsAndAbsentNumbersTheirDefaults() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(
        file,
        Files.readString(example())
            .replace("    runAsUser: 1000\n", "")
            .replace("    ttlSecondsAfterFinished: 3600\n", "")
            .replace("    imagePullLimitSeconds: 120", "    imagePullLimitSeconds: 90")
            .replace("    shmSize: 2Gi", "    shmSize: 2Gi\n    pollIntervalMillis: 250"));

    KubernetesLauncherConfig launcher =
        WorkerConfigurationFactory.load(
                file, Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_LAUNCHER", "kubernetes"))
            .launcher()
            .kubernetes()
            .launcher();

    assertThat(launcher.imagePullLimit()).isEqualTo(Duration.ofSeconds(90));
    assertThat(launcher.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(launcher.runAsUser()).isEqualTo(1000);
    assertThat(launcher.ttlSecondsAfterFinished()).isEqualTo(3600);
  }

  @Test
  void theLocalLauncherStaysTheDefault() throws Exception {
    WorkerConfiguration config =
        WorkerConfigurationFactory.load(example(), Map.of("TRAINYARD_JWT_SECRET", SECRET));

    assertThat(config.launcher().isKubernetes()).isFalse();
    assertThat(config.launcher().local()).isNotNull();
  }

  @Test
  void localTrainersGetTheSameStorageAndMlflowAsKubernetesOnesUnderTheSeedsNames()
      throws Exception {
    Map<String, String> env =
        Map.of(
            "TRAINYARD_JWT_SECRET", SECRET,
            "TRAINYARD_S3_ENDPOINT", "http://minio:9000",
            "TRAINYARD_S3_BUCKET", "datasets",
            "TRAINYARD_S3_ACCESS_KEY", "trainyard-key",
            "TRAINYARD_S3_SECRET_KEY", "the-secret-value",
            "TRAINYARD_MLFLOW_TRACKING_URI", "http://mlflow:5000");
    WorkerConfiguration local = WorkerConfigurationFactory.load(example(), env);
    Map<String, String> kubernetesEnv = new java.util.HashMap<>(env);
    kubernetesEnv.put("TRAINYARD_LAUNCHER", "kubernetes");
    KubernetesLauncherConfig kubernetes =
        WorkerConfigurationFactory.load(example(), kubernetesEnv)
            .launcher()
            .kubernetes()
            .launcher();

    assertThat(local.launcher().local().extraEnvironment())
        .containsEntry("STORAGE_TYPE", "minio")
        .containsEntry("MINIO_ENDPOINT", "http://minio:9000")
        .containsEntry("STORAGE_BUCKET", "datasets")
        .containsEntry("MINIO_ACCESS_KEY", "trainyard-key")
        .containsEntry("MINIO_SECRET_KEY", "the-secret-value")
        .containsEntry("MLFLOW_TRACKING_URI", "http://mlflow:5000");
    Map<String, String> pods = new java.util.HashMap<>(kubernetes.extraEnvironment());
    pods.putAll(kubernetes.secretEnvironment());
    assertThat(pods).isEqualTo(local.launcher().local().extraEnvironment());
    assertThat(local.toString()).doesNotContain("the-secret-value");
  }

  @Test
  void anUnknownKindOrABadKubernetesBlockIsRefusedNamingTheSetting() throws Exception {
    Path file = example();
    assertThatThrownBy(
            () ->
                WorkerConfigurationFactory.load(
                    file, Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_LAUNCHER", "slurm")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("launcher.kind");
    assertThatThrownBy(
            () ->
                WorkerConfigurationFactory.load(
                    file,
                    Map.of(
                        "TRAINYARD_JWT_SECRET",
                        SECRET,
                        "TRAINYARD_LAUNCHER",
                        "kubernetes",
                        "TRAINYARD_TRAINING_NAMESPACE",
                        "Not_A_Namespace")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("launcher.kubernetes")
        .hasMessageContaining("namespace");
  }

  private Path example() throws Exception {
    Path file = dir.resolve("example-worker.yml");
    try (InputStream in = getClass().getResourceAsStream("/example-worker.yml")) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
