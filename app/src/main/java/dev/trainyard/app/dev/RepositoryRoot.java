package dev.trainyard.app.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Trainyard checkout (for the scripted trainer): TRAINYARD_HOME, set by the launcher
 * script, else the working directory or one of its parents.
 */
final class RepositoryRoot {
  static final String HOME_ENV = "TRAINYARD_HOME";
  static final Path SCRIPTED_TRAINER =
      Path.of("examples", "scripted-trainer", "scripted_trainer.py");

  private RepositoryRoot() {}

  static Optional<Path> locate(Map<String, String> environment, Path workingDirectory) {
    String home = environment.get(HOME_ENV);
    if (home != null && !home.isBlank() && isRoot(Path.of(home))) {
      return Optional.of(Path.of(home).toAbsolutePath().normalize());
    }
    for (Path dir = workingDirectory.toAbsolutePath().normalize();
        dir != null;
        dir = dir.getParent()) {
      if (isRoot(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve(SCRIPTED_TRAINER));
  }
}
