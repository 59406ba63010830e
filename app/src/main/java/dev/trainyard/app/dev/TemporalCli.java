package dev.trainyard.app.dev;

import dev.trainyard.app.StartupException;
import dev.trainyard.app.temporal.TemporalConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code temporal} binary the dev stack runs {@code server start-dev} with, and the
 * repository's {@code temporal-config/} folder whose dynamic config it passes along (absent when
 * the stack runs outside a checkout).
 */
public record TemporalCli(Path binary, Optional<TemporalConfigFiles> config) {
  public static final String BIN_ENV = "TRAINYARD_TEMPORAL_BIN";

  /**
   * {@value #BIN_ENV} when set (it must then name an executable: a typo should not silently fall
   * back to the in-memory test server), else {@code temporal} on PATH, else none.
   */
  static Optional<TemporalCli> fromEnvironment(Map<String, String> env, Path workingDirectory) {
    Optional<Path> binary;
    String explicit = env.get(BIN_ENV);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit.trim());
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new StartupException(BIN_ENV + "=" + explicit + " is not an executable file");
      }
      binary = Optional.of(path.toAbsolutePath());
    } else {
      binary = DevSettings.onPath("temporal", env.getOrDefault("PATH", ""));
    }
    Optional<TemporalConfigFiles> config =
        RepositoryRoot.locate(env, workingDirectory)
            .map(root -> root.resolve(TemporalConfigFiles.FOLDER))
            .filter(Files::isDirectory)
            .map(TemporalConfigFiles::new);
    return binary.map(path -> new TemporalCli(path, config));
  }
}
