package dev.trainyard.activities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pid files in a job's directory: how a retried or restarted worker finds the trainer an
 * earlier try of the same launch started. Each attempt of the job has its own, {@code
 * trainer-<n>.pid}, so a launch adopts only its own attempt's trainer, never an earlier attempt's
 * that is still dying. {@code trainer.pid} names the latest attempt's trainer (for people, and the
 * dev app that stops its children); a job directory from before attempts existed has only that one,
 * which is attempt 1's.
 *
 * <p>A pid can be reused by an unrelated process once the trainer is gone, so a process counts as
 * the trainer only if it started before its file was written.
 */
final class TrainerPidFile {
  static final String NAME = "trainer.pid";
  private static final Pattern ATTEMPT_NAME = Pattern.compile("trainer-([1-9][0-9]{0,3})\\.pid");

  /** Process start times on Linux are derived from boot time in whole seconds. */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  /** A live trainer and the attempt whose pid file names it. */
  record Named(int attempt, ProcessHandle process) {}

  private final Path directory;
  private final int attempt;
  private final Path path;

  TrainerPidFile(Path jobDirectory, int attempt) {
    this.directory = jobDirectory;
    this.attempt = attempt;
    this.path = jobDirectory.resolve(attemptFileName(attempt));
  }

  static String attemptFileName(int attempt) {
    return "trainer-" + attempt + ".pid";
  }

  Path path() {
    return path;
  }

  /** This attempt's file, then {@code trainer.pid}; each written atomically. */
  void write(long pid) throws IOException {
    writeAtomically(path, pid);
    writeAtomically(directory.resolve(NAME), pid);
  }

  private static void writeAtomically(Path file, long pid) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The live trainer of this attempt, if any. */
  Optional<ProcessHandle> liveTrainer() {
    Optional<ProcessHandle> own = live(path);
    if (own.isEmpty() && attempt == 1 && attemptFiles(directory).isEmpty()) {
      return live(directory.resolve(NAME)); // launched before attempts had their own files
    }
    return own;
  }

  /** The live trainers of other attempts of the job. */
  List<Named> otherLiveTrainers() {
    List<Named> others = new ArrayList<>();
    for (Path file : attemptFiles(directory)) {
      int other = attemptOf(file);
      if (other != attempt) {
        live(file).ifPresent(process -> others.add(new Named(other, process)));
      }
    }
    return others;
  }

  /** The live trainer with this pid, if a pid file in the job's directory names it. */
  static Optional<ProcessHandle> liveTrainer(Path jobDirectory, long pid) {
    List<Path> files = new ArrayList<>(attemptFiles(jobDirectory));
    files.add(jobDirectory.resolve(NAME));
    for (Path file : files) {
      Optional<ProcessHandle> found = live(file).filter(p -> p.pid() == pid);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<ProcessHandle> live(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      long pid = Long.parseLong(text);
      Instant writtenAt = Files.getLastModifiedTime(file).toInstant();
      return ProcessHandle.of(pid).filter(p -> p.isAlive() && startedBy(p, writtenAt));
    } catch (NoSuchFileException | NumberFormatException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Path> attemptFiles(Path jobDirectory) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(jobDirectory, "trainer-*.pid")) {
      for (Path file : found) {
        if (attemptOf(file) > 0) {
          files.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + jobDirectory, e);
    }
    return files;
  }

  private static int attemptOf(Path file) {
    Matcher name = ATTEMPT_NAME.matcher(file.getFileName().toString());
    return name.matches() ? Integer.parseInt(name.group(1)) : 0;
  }

  private static boolean startedBy(ProcessHandle process, Instant writtenAt) {
    return process
        .info()
        .startInstant()
        .map(started -> !started.isAfter(writtenAt.plus(CLOCK_SLACK)))
        .orElse(true);
  }
}
