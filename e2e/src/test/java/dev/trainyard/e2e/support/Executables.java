package dev.trainyard.e2e.support;

import dev.trainyard.app.dev.TemporalCli;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the external programs the suite needs, and fails with what to do when one is missing: the
 * suite must not silently test less than it claims.
 */
public final class Executables {
  private Executables() {}

  /**
   * Found where the dev stack finds it (TemporalCli.findBinary): TRAINYARD_TEMPORAL_BIN, else
   * temporal on PATH, else the copy temporal-config/install-cli.sh builds into the cache.
   */
  public static Path temporal() {
    return TemporalCli.findBinary(System.getenv())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the e2e suite needs the Temporal CLI (temporal server start-dev), and none"
                        + " was found (not on PATH, not at "
                        + TemporalCli.cachedBinary(System.getenv()).map(Path::toString).orElse("?")
                        + "). Run temporal-config/install-cli.sh (needs go), which builds it"
                        + " once, or set TRAINYARD_TEMPORAL_BIN."));
  }

  /** Debian's headless-capable Chromium (apt-get install chromium; .ci/apt-packages lists it). */
  public static Path chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      Optional<Path> found = onPath(name);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IllegalStateException(
        "the Temporal UI check needs chromium on PATH:"
            + " apt-get install chromium (.ci/run installs what .ci/apt-packages lists)");
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isBlank() && executable(Path.of(dir, program))) {
        return Optional.of(Path.of(dir, program));
      }
    }
    return Optional.empty();
  }

  private static boolean executable(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
