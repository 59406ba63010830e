package dev.trainyard.app.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trainers this JVM started, found through the launcher's {@code jobs/job-<id>/trainer.pid} files.
 * With the in-memory Temporal test server their workflows die with the dev stack, so the stack
 * stops them (politely first, while the API can still take their {@code done}) rather than leave
 * them running with nobody to report to.
 */
final class ChildTrainers {
  private ChildTrainers() {}

  static void stop(Path jobsDirectory, Duration grace) {
    List<ProcessHandle> trainers = find(jobsDirectory);
    trainers.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(grace);
    for (ProcessHandle trainer : trainers) {
      while (trainer.isAlive() && Instant.now().isBefore(deadline)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (trainer.isAlive()) {
        trainer.descendants().forEach(ProcessHandle::destroyForcibly);
        trainer.destroyForcibly();
      }
    }
  }

  /** Live processes named by a pid file that are this JVM's descendants (never anyone else's). */
  static List<ProcessHandle> find(Path jobsDirectory) {
    Set<Long> ours =
        ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> jobs = Files.newDirectoryStream(jobsDirectory, "job-*")) {
      for (Path job : jobs) {
        readPid(job.resolve("trainer.pid"))
            .filter(ours::contains)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .ifPresent(found::add);
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
