package dev.trainyard.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The distribution the suite's child JVMs run, and the folders it keeps their output in. */
public final class Distribution {
  private Distribution() {}

  /** The app's runtime classpath, as this build resolved it (written by Maven, see e2e/pom.xml). */
  public static String classpath() throws IOException {
    String file =
        System.getProperty(
            "trainyard.e2e.classpath", Repository.file("e2e/target/app.classpath").toString());
    if (!Files.isRegularFile(Path.of(file))) {
      throw new IllegalStateException(
          "no "
              + file
              + ": run the suite through Maven"
              + " (./mvnw -pl e2e verify), which writes the distribution's classpath there");
    }
    return Files.readString(Path.of(file)).trim();
  }

  /** Deletes {@code dir} and what it holds; links are removed, never followed. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
