package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.app.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalCliTest {
  @TempDir Path dir;

  @Test
  void anExplicitBinaryWinsOverPathAndBringsTheRepositorysTemporalConfig() throws Exception {
    Path explicit = executable(dir.resolve("bin/temporal-1.5.1"));
    Path onPath = executable(dir.resolve("path/temporal"));

    Optional<TemporalCli> cli =
        TemporalCli.fromEnvironment(
            Map.of(TemporalCli.BIN_ENV, explicit.toString(), "PATH", onPath.getParent().toString()),
            Path.of(""));

    assertThat(cli)
        .hasValueSatisfying(
            c -> {
              assertThat(c.binary()).isEqualTo(explicit.toAbsolutePath());
              assertThat(c.config())
                  .hasValueSatisfying(
                      config -> {
                        assertThat(config.directory().getFileName().toString())
                            .isEqualTo("temporal-config");
                        assertThat(config.devServerFlags()).contains("--dynamic-config-value");
                      });
            });
  }

  @Test
  void temporalOnPathIsUsedWhenNothingIsExplicit() throws Exception {
    Path onPath = executable(dir.resolve("path/temporal"));

    assertThat(
            TemporalCli.fromEnvironment(Map.of("PATH", onPath.getParent().toString()), Path.of("")))
        .hasValueSatisfying(c -> assertThat(c.binary()).isEqualTo(onPath));
  }

  @Test
  void theCliThatInstallCliBuildsIntoTheCacheIsFoundWhenNotOnPath() throws Exception {
    Path cached = executable(dir.resolve("cache/bin/temporal"));

    assertThat(
            TemporalCli.fromEnvironment(
                Map.of(
                    "PATH", dir.toString(), TemporalCli.CACHE_ENV, dir.resolve("cache").toString()),
                Path.of("")))
        .hasValueSatisfying(c -> assertThat(c.binary()).isEqualTo(cached));
  }

  @Test
  void withoutTrainyardCacheTheCacheIsTheOneUnderHome() throws Exception {
    Path cached = executable(dir.resolve(".cache/trainyard/bin/temporal"));

    assertThat(
            TemporalCli.fromEnvironment(
                Map.of("PATH", dir.toString(), "HOME", dir.toString()), Path.of("")))
        .hasValueSatisfying(c -> assertThat(c.binary()).isEqualTo(cached));
  }

  @Test
  void temporalOnPathWinsOverTheCache() throws Exception {
    Path onPath = executable(dir.resolve("path/temporal"));
    executable(dir.resolve(".cache/trainyard/bin/temporal"));

    assertThat(
            TemporalCli.fromEnvironment(
                Map.of("PATH", onPath.getParent().toString(), "HOME", dir.toString()), Path.of("")))
        .hasValueSatisfying(c -> assertThat(c.binary()).isEqualTo(onPath));
  }

  @Test
  void noBinaryMeansTheJavaTestServer() {
    assertThat(
            TemporalCli.fromEnvironment(
                Map.of("PATH", dir.toString(), "HOME", dir.toString()), Path.of("")))
        .isEmpty();
  }

  @Test
  void aMistypedExplicitBinaryIsAnErrorNotASilentFallback() {
    assertThatThrownBy(
            () ->
                TemporalCli.fromEnvironment(
                    Map.of(TemporalCli.BIN_ENV, dir.resolve("no-such-temporal").toString()),
                    Path.of("")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(TemporalCli.BIN_ENV)
        .hasMessageContaining("not an executable file");
  }

  private static Path executable(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
