package dev.trainyard.activities.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trainer's whole log as its launcher can read it now: a local file or a pod's log. A local file
 * holds every attempt of its job (each attempt after the first starts with {@link #attemptMarker});
 * a pod's log holds one attempt's output alone ({@link #oneAttempt}).
 */
public interface TrainerLogSource {
  /** The line that starts attempt n ≥ 2 of a job in its log, and in its archived log. */
  static String attemptMarker(int attempt) {
    return "--- attempt " + attempt + " ---";
  }

  static boolean isAttemptMarker(String line) {
    return line.startsWith("--- attempt ") && line.endsWith(" ---");
  }

  /**
   * True when this log holds one attempt's output only (a pod's): the archive then keeps the
   * earlier attempts' logs before it. A local file holds all of them itself.
   */
  default boolean oneAttempt() {
    return false;
  }

  /** The log from its first byte; the caller closes it. */
  InputStream open() throws IOException;

  /**
   * Something that changes whenever the log does, so an unchanged log is not copied again; null
   * when that cannot be known cheaply (the copy is then always made).
   */
  default Object version() throws IOException {
    return null;
  }

  static TrainerLogSource file(Path log) {
    return new TrainerLogSource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(log);
      }

      @Override
      public Object version() throws IOException {
        return List.of(Files.size(log), Files.getLastModifiedTime(log));
      }
    };
  }
}
