package dev.trainyard.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig;
import dev.trainyard.app.StartupException;
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
        WorkerConfiguration.load(
            example(),
            Map.of(
                "TRAINYARD_JWT_SECRET", SECRET,
                "TRAINYARD_LAUNCHER", "kubernetes",
                "TRAINYARD_TRAINING_NAMESPACE", "gpu-training",
                "MINIO_SECRET_KEY", "minio-secret-value"));

    assertThat(config.launcher().isKubernetes()).isTrue();
    KubernetesLauncherConfig launcher = config.launcher().kubernetes().toConfig();
    assertThat(launcher.namespace()).isEqualTo("gpu-training");
    assertThat(launcher.imagesByFramework()).containsKey("ultralytics");
    assertThat(launcher.resources().gpus()).isEqualTo(1);
    assertThat(launcher.tolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo("nvidia.com/gpu"));
    assertThat(launcher.unschedulableLimit()).isEqualTo(Duration.ofMinutes(10));
    assertThat(launcher.secretEnvironment())
        .containsEntry("MINIO_SECRET_KEY", "minio-secret-value");
    assertThat(launcher.backendBaseUrl()).isEqualTo("http://trainyard-api.trainyard.svc:8080");
    assertThat(config.toString()).doesNotContain("minio-secret-value");
    assertThat(launcher.toString()).doesNotContain("minio-secret-value");
  }

  @Test
  void theLocalLauncherStaysTheDefault() throws Exception {
    WorkerConfiguration config =
        WorkerConfiguration.load(example(), Map.of("TRAINYARD_JWT_SECRET", SECRET));

    assertThat(config.launcher().isKubernetes()).isFalse();
    assertThat(config.launcher().local()).isNotNull();
  }

  @Test
  void anUnknownKindOrABadKubernetesBlockIsRefusedNamingTheSetting() throws Exception {
    Path file = example();
    assertThatThrownBy(
            () ->
                WorkerConfiguration.load(
                    file, Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_LAUNCHER", "slurm")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("launcher.kind");
    assertThatThrownBy(
            () ->
                WorkerConfiguration.load(
                    file,
                    Map.of(
                        "TRAINYARD_JWT_SECRET",
                        SECRET,
                        "TRAINYARD_LAUNCHER",
                        "kubernetes",
                        "TRAINYARD_TRAINING_NAMESPACE",
                        "Not_A_Namespace")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("launcher.kubernetes")
        .hasMessageContaining("namespace");
  }

  private Path example() throws Exception {
    Path file = dir.resolve("worker.yml");
    try (InputStream in = getClass().getResourceAsStream("/example-worker.yml")) {
      Files.copy(in, file);
    }
    return file;
  }
}
