package dev.trainyard.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.activities.LocalLauncherConfig;
import dev.trainyard.app.StartupException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigurationTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-worker";

  @TempDir Path dir;

  @Test
  void theShippedExampleLoadsWithItsDefaultsAndTheSecretFromTheEnvironment() throws Exception {
    WorkerConfiguration config =
        WorkerConfiguration.load(example(), Map.of("TRAINYARD_JWT_SECRET", SECRET));

    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/trainyard");
    assertThat(config.temporal().target()).isEqualTo("127.0.0.1:7233");
    assertThat(config.temporal().namespace()).isEqualTo("default");
    assertThat(config.jwtSecretBytes()).hasSize(SECRET.length());
    LocalLauncherConfig launcher = WorkerProcess.launcherConfig(config);
    assertThat(launcher.commandsByFramework()).containsKey("scripted");
    assertThat(launcher.backendBaseUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(config.toString()).doesNotContain(SECRET);
  }

  @Test
  void theTrainerCommandVariableReplacesTheDefaultCommand() throws Exception {
    WorkerConfiguration config =
        WorkerConfiguration.load(
            example(),
            Map.of(
                "TRAINYARD_JWT_SECRET",
                SECRET,
                "TRAINYARD_TRAINER_COMMAND",
                "  /opt/venv/bin/python   train.py --quiet "));

    assertThat(config.launcher().local().defaultCommand())
        .containsExactly("/opt/venv/bin/python", "train.py", "--quiet");
  }

  @Test
  void aMissingOrShortSecretIsRefusedWithTheSettingToFix() throws Exception {
    Path file = example();
    assertThatThrownBy(() -> WorkerConfiguration.load(file, Map.of()))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("TRAINYARD_JWT_SECRET");
    assertThatThrownBy(
            () -> WorkerConfiguration.load(file, Map.of("TRAINYARD_JWT_SECRET", "short")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("short");
  }

  @Test
  void anUnknownKeyIsAnErrorNotSilentlyIgnored() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(file, Files.readString(example()).replace("temporal:", "temporall:"));

    assertThatThrownBy(() -> WorkerConfiguration.load(file, Map.of("TRAINYARD_JWT_SECRET", SECRET)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("temporall");
  }

  private Path example() throws Exception {
    Path file = dir.resolve("example-worker.yml");
    try (InputStream in = getClass().getResourceAsStream("/example-worker.yml")) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
