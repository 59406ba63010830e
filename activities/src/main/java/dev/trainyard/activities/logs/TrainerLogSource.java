package dev.trainyard.activities.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A trainer's whole log as its launcher can read it now: a local file or a pod's log. */
public interface TrainerLogSource {
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
