package dev.trainyard.activities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code trainer.pid} in a job's directory: how a retried or restarted worker finds the trainer an
 * earlier attempt started. A pid can be reused by an unrelated process once the trainer is gone, so
 * a process counts as the trainer only if it started before the file was written.
 */
final class TrainerPidFile {
  static final String NAME = "trainer.pid";

  /** Process start times on Linux are derived from boot time in whole seconds. */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  private final Path path;

  TrainerPidFile(Path jobDirectory) {
    this.path = jobDirectory.resolve(NAME);
  }

  Path path() {
    return path;
  }

  /** Written atomically, so a reader never sees a half-written pid. */
  void write(long pid) throws IOException {
    Path partial = path.resolveSibling(NAME + ".partial");
    Files.writeString(partial, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The live trainer this file names, if any. */
  Optional<ProcessHandle> liveTrainer() {
    try {
      String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
      long pid = Long.parseLong(text);
      Instant writtenAt = Files.getLastModifiedTime(path).toInstant();
      return ProcessHandle.of(pid).filter(p -> p.isAlive() && startedBy(p, writtenAt));
    } catch (NoSuchFileException | NumberFormatException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The live trainer with this pid, if this file names it. */
  Optional<ProcessHandle> liveTrainer(long pid) {
    return liveTrainer().filter(p -> p.pid() == pid);
  }

  private static boolean startedBy(ProcessHandle process, Instant writtenAt) {
    return process
        .info()
        .startInstant()
        .map(started -> !started.isAfter(writtenAt.plus(CLOCK_SLACK)))
        .orElse(true);
  }
}
