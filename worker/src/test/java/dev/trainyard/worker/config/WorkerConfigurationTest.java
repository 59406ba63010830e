package dev.trainyard.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.activities.LocalLauncherConfig;
import io.dropwizard.configuration.ConfigurationException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigurationTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-worker";

  @TempDir Path dir;

  @Test
  void theShippedExampleLoadsWithItsDefaultsAndTheSecretFromTheEnvironment() throws Exception {
    WorkerConfiguration config =
        WorkerConfigurationFactory.load(example(), Map.of("TRAINYARD_JWT_SECRET", SECRET));

    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/trainyard");
    assertThat(config.temporal().target()).isEqualTo("127.0.0.1:7233");
    assertThat(config.temporal().namespace()).isEqualTo("default");
    assertThat(config.jwtSecretBytes()).hasSize(SECRET.length());
    LocalLauncherConfig launcher = config.launcher().local();
    assertThat(launcher.commandsByFramework()).containsKey("scripted");
    assertThat(launcher.backendBaseUrl()).isEqualTo("http://127.0.0.1:8082");
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(config.admin().enabled()).isTrue();
    assertThat(config.admin().bindHost()).isEqualTo("127.0.0.1");
    assertThat(config.admin().port()).isEqualTo(8084);
  }

  @Test
  void theAdminPortIsSetByItsVariableTurnedOffByZeroAndABadOneIsNamed() throws Exception {
    WorkerConfiguration moved =
        WorkerConfigurationFactory.load(
            example(),
            Map.of(
                "TRAINYARD_JWT_SECRET",
                SECRET,
                "TRAINYARD_WORKER_ADMIN_PORT",
                "9184",
                "TRAINYARD_ADMIN_BIND_HOST",
                "0.0.0.0"));
    WorkerConfiguration off =
        WorkerConfigurationFactory.load(
            example(), Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_WORKER_ADMIN_PORT", "0"));
    Path withoutBlock = dir.resolve("no-admin.yml");
    Files.writeString(
        withoutBlock,
        Files.readString(example())
            .replace("admin:\n", "")
            .replace("  bindHost: ${TRAINYARD_ADMIN_BIND_HOST:-127.0.0.1}\n", "")
            .replace("  port: ${TRAINYARD_WORKER_ADMIN_PORT:-8084}\n", ""));

    assertThat(moved.admin().port()).isEqualTo(9184);
    assertThat(moved.admin().bindHost()).isEqualTo("0.0.0.0");
    assertThat(off.admin().enabled()).isFalse();
    assertThat(
            WorkerConfigurationFactory.load(withoutBlock, Map.of("TRAINYARD_JWT_SECRET", SECRET))
                .admin()
                .enabled())
        .isFalse();
    assertThatThrownBy(
            () ->
                WorkerConfigurationFactory.load(
                    example(),
                    Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_WORKER_ADMIN_PORT", "70000")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("admin.port");
  }

  @Test
  void theTrainerCommandVariableReplacesTheDefaultCommand() throws Exception {
    WorkerConfiguration config =
        WorkerConfigurationFactory.load(
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
  void aFrameworksOwnVariableAddsOrReplacesItsCommandOnly() throws Exception {
    WorkerConfiguration config =
        WorkerConfigurationFactory.load(
            example(),
            Map.of(
                "TRAINYARD_JWT_SECRET", SECRET,
                "TRAINYARD_TRAINER_COMMAND_ULTRALYTICS", "/opt/venv/bin/python -u train.py",
                "TRAINYARD_TRAINER_COMMAND_SCRIPTED", "python3 my_scripted.py"));

    LocalLauncherConfig launcher = config.launcher().local();
    assertThat(launcher.commandsByFramework())
        .containsEntry("ultralytics", List.of("/opt/venv/bin/python", "-u", "train.py"))
        .containsEntry("scripted", List.of("python3", "my_scripted.py"))
        .hasSize(2);
    assertThat(launcher.defaultCommand()).isEmpty();
  }

  @Test
  void aMissingOrShortSecretIsRefusedWithTheSettingToFix() throws Exception {
    Path file = example();
    assertThatThrownBy(() -> WorkerConfigurationFactory.load(file, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TRAINYARD_JWT_SECRET");
    assertThatThrownBy(
            () -> WorkerConfigurationFactory.load(file, Map.of("TRAINYARD_JWT_SECRET", "short")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("short");
  }

  @Test
  void aSecretInTheFileNeedsNoVariable() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(
        file,
        Files.readString(example())
            .replace("jwtSecret: ${TRAINYARD_JWT_SECRET:-}", "jwtSecret: " + SECRET));

    assertThat(WorkerConfigurationFactory.load(file, Map.of()).jwtSecretBytes())
        .hasSize(SECRET.length());
  }

  @Test
  void theLogSettingsAndTheArchiveBucketAreReadAndCheckedWithoutLeakingTheKey() throws Exception {
    Map<String, String> env =
        Map.of(
            "TRAINYARD_JWT_SECRET", SECRET,
            "TRAINYARD_LOG_FORMAT", "json",
            "TRAINYARD_S3_ENDPOINT", "http://minio:9000",
            "TRAINYARD_S3_ACCESS_KEY", "worker-key",
            "TRAINYARD_S3_SECRET_KEY", "worker-secret-value");
    WorkerConfiguration config = WorkerConfigurationFactory.load(example(), env);
    assertThat(config.logging().format()).isEqualTo("json");
    assertThat(config.logs().archive().interval()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.storage().getEndpoint()).isEqualTo("http://minio:9000");
    assertThat(config.storage().getBucket()).isEqualTo("trainyard");
    assertThat(config.toString()).contains("worker-key").doesNotContain("worker-secret-value");

    Path file = dir.resolve("worker.yml");
    Files.writeString(
        file,
        Files.readString(example())
            .replace("format: ${TRAINYARD_LOG_FORMAT:-text}", "format: xml")
            .replace("interval: 30s", "interval: 0s"));
    assertThatThrownBy(() -> WorkerConfigurationFactory.load(file, env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("logging.format must be text or json")
        .hasMessageContaining("logs.archive.interval");
  }

  @Test
  void anUnknownKeyIsAnErrorNotSilentlyIgnored() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(file, Files.readString(example()).replace("temporal:", "temporall:"));

    assertThatThrownBy(
            () -> WorkerConfigurationFactory.load(file, Map.of("TRAINYARD_JWT_SECRET", SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("temporall");
  }

  @Test
  void anUnknownKeyInsideALauncherBlockIsRefusedToo() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(
        file,
        Files.readString(example())
            .replace("    defaultCommand: []", "    defaultComand: []")
            .replace("    shmSize: 2Gi", "    shmSize: 2Gi\n    gpuCount: 2"));

    assertThatThrownBy(
            () -> WorkerConfigurationFactory.load(file, Map.of("TRAINYARD_JWT_SECRET", SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("defaultComand");
    Files.writeString(
        file,
        Files.readString(example())
            .replace("    shmSize: 2Gi", "    shmSize: 2Gi\n    gpuCount: 2"));
    assertThatThrownBy(
            () -> WorkerConfigurationFactory.load(file, Map.of("TRAINYARD_JWT_SECRET", SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("gpuCount");
  }

  @Test
  void variablesAreFilledLiterallyAndAnUnsetOneWithoutDefaultIsNamed() throws Exception {
    Path file = dir.resolve("worker.yml");
    Files.writeString(
        file,
        Files.readString(example())
            .replace(
                "${TRAINYARD_DB_URL:-jdbc:postgresql://127.0.0.1:5432/trainyard}", "${DB_URL}"));

    WorkerConfiguration config =
        WorkerConfigurationFactory.load(
            file, Map.of("TRAINYARD_JWT_SECRET", SECRET, "DB_URL", "jdbc:postgresql://db/x$1"));
    assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db/x$1");
    assertThatThrownBy(
            () -> WorkerConfigurationFactory.load(file, Map.of("TRAINYARD_JWT_SECRET", SECRET)))
        .hasMessageContaining("DB_URL");
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() throws Exception {
    Path file = example();
    assertThatThrownBy(
            () ->
                WorkerConfigurationFactory.load(
                    file,
                    Map.of(
                        "TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_DB_URL", "jdbc:mysql://db/x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("database.url");
    assertThatThrownBy(
            () ->
                WorkerConfigurationFactory.load(
                    file,
                    Map.of("TRAINYARD_JWT_SECRET", SECRET, "TRAINYARD_TEMPORAL_TARGET", "nohost")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("temporal.target");
  }

  private Path example() throws Exception {
    Path file = dir.resolve("example-worker.yml");
    try (InputStream in = getClass().getResourceAsStream("/example-worker.yml")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
