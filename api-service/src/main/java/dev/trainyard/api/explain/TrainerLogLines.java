package dev.trainyard.api.explain;

import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.logs.LocalLogStreamer;
import dev.trainyard.store.jobs.TrainerLogDao;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last lines of a job's trainer log for {@code explain}, tokens masked, or a note saying why
 * there are none. The one place explain reads a log: it calls the logs code's local-file reader
 * today; once the log archive lands (issue 15 §3), {@link #lastLines} calls the logs code's reader
 * that falls back to the archive, and only that call changes.
 */
final class TrainerLogLines {
  private static final Logger log = LoggerFactory.getLogger(TrainerLogLines.class);

  record Lines(List<String> lines, String note) {}

  private final TrainerLogDao logs;
  private final LocalLogStreamer local;

  TrainerLogLines(Jdbi jdbi, LocalLogStreamer local) {
    this.logs = jdbi.onDemand(TrainerLogDao.class);
    this.local = local;
  }

  Lines lastLines(long jobId, int n) {
    String location = logs.find(jobId).map(TrainerLogDao.TrainerLogRow::trainerLog).orElse(null);
    if (location == null) {
      return new Lines(List.of(), "the trainer has not been launched, so it has no log yet");
    }
    if (location.startsWith("kubernetes://")) {
      return new Lines(
          List.of(),
          "the trainer's log is in its Kubernetes pod; `trainyard logs " + jobId + "` reads it");
    }
    if (local == null || !local.servesFiles()) {
      return new Lines(
          List.of(), "this API has no logs.jobsDirectory configured for local trainer logs");
    }
    try {
      Path file = local.checked(location);
      if (!Files.exists(file)) {
        return new Lines(List.of(), "the trainer's log file is gone from the worker's disk");
      }
      // tailStart looks back a bounded number of bytes, so reading to the end stays bounded too
      long start = LocalLogStreamer.tailStart(file, n);
      return new Lines(LocalLogStreamer.readLines(file, start, Long.MAX_VALUE, true).lines(), null);
    } catch (ApiException e) {
      return new Lines(List.of(), e.getMessage());
    } catch (IOException e) {
      // the message would name a path on this machine: it goes to the API's log, not the reply
      log.warn("job {}: cannot read the trainer's log: {}", jobId, e.toString());
      return new Lines(
          List.of(), "the trainer's log could not be read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
