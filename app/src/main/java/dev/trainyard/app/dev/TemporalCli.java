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

  /** Where temporal-config/install-cli.sh (run by ./trainyard and .ci/run) keeps what it builds. */
  public static final String CACHE_ENV = "TRAINYARD_CACHE";

  /**
   * The dev server when a binary is found (see {@link #findBinary}), with the checkout's dynamic
   * config when there is one; else none, and the stack runs the in-memory test server.
   */
  static Optional<TemporalCli> fromEnvironment(Map<String, String> env, Path workingDirectory) {
    Optional<TemporalConfigFiles> config =
        RepositoryRoot.locate(env, workingDirectory)
            .map(root -> root.resolve(TemporalConfigFiles.FOLDER))
            .filter(Files::isDirectory)
            .map(TemporalConfigFiles::new);
    return findBinary(env).map(path -> new TemporalCli(path, config));
  }

  /**
   * {@value #BIN_ENV} when set (it must then name an executable: a typo should not silently fall
   * back to the in-memory test server), else {@code temporal} on PATH, else the cached build
   * ({@link #cachedBinary}). The e2e suite finds its CLI the same way.
   */
  public static Optional<Path> findBinary(Map<String, String> env) {
    String explicit = env.get(BIN_ENV);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit.trim());
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new StartupException(BIN_ENV + "=" + explicit + " is not an executable file");
      }
      return Optional.of(path.toAbsolutePath());
    }
    return DevSettings.onPath("temporal", env.getOrDefault("PATH", ""))
        .or(() -> cachedBinary(env).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)));
  }

  /**
   * ${@value #CACHE_ENV}/bin/temporal, else $HOME/.cache/trainyard/bin/temporal: the path
   * install-cli.sh builds into, whether or not it exists; empty without either variable.
   */
  public static Optional<Path> cachedBinary(Map<String, String> env) {
    String cache = env.get(CACHE_ENV);
    if (cache != null && !cache.isBlank()) {
      return Optional.of(Path.of(cache, "bin", "temporal"));
    }
    return Optional.ofNullable(env.get("HOME"))
        .filter(home -> !home.isBlank())
        .map(home -> Path.of(home, ".cache", "trainyard", "bin", "temporal"));
  }
}
