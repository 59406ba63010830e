package dev.trainyard.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalLauncherConfigTest {
  final Path jobs = Path.of("jobs");

  @Test
  void normalisesWhatTrainersAndTheLauncherRelyOn() {
    LocalLauncherConfig config =
        new LocalLauncherConfig(null, null, jobs, "http://localhost:8080/", null);

    assertThat(config.backendBaseUrl()).isEqualTo("http://localhost:8080");
    assertThat(config.jobsDirectory().isAbsolute()).isTrue();
    assertThat(config.defaultCommand()).isEmpty();
    assertThat(config.commandsByFramework()).isEmpty();
    assertThat(config.extraEnvironment()).isEmpty();
  }

  @Test
  void rejectsAMissingUrlDirectoryOrAnEmptyCommand() {
    assertThatThrownBy(() -> LocalLauncherConfig.withDefaultCommand(List.of("train"), jobs, " "))
        .hasMessageContaining("backendBaseUrl");
    assertThatThrownBy(
            () -> LocalLauncherConfig.withDefaultCommand(List.of("train"), jobs, "ftp://x"))
        .hasMessageContaining("http");
    assertThatThrownBy(
            () -> LocalLauncherConfig.withDefaultCommand(List.of("train"), null, "http://x"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> new LocalLauncherConfig(Map.of("yolo", List.of()), null, jobs, "http://x", null))
        .hasMessageContaining("yolo");
  }
}
