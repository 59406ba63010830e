package dev.trainyard.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the Trainyard checkout that the suite reads (configs, scripts, the trainer). */
public final class Repository {
  private Repository() {}

  /** The checkout's root: the nearest parent of the working directory holding temporal-config/. */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("temporal-config"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "run from the Trainyard checkout (no temporal-config/ above "
            + Path.of("").toAbsolutePath()
            + ")");
  }

  public static Path file(String relative) {
    return root().resolve(relative);
  }

  /**
   * Where the suite keeps logs, screenshots and data: e2e/target/e2e unless Maven says otherwise.
   */
  public static Path outputDirectory() {
    String configured = System.getProperty("trainyard.e2e.output");
    return configured != null ? Path.of(configured) : root().resolve("e2e/target/e2e");
  }
}
