package dev.trainyard.api.streams;

import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.logs.ArchivedLogs;
import dev.trainyard.api.logs.LocalLogStreamer;
import dev.trainyard.api.logs.LogSlice;
import dev.trainyard.store.jobs.TrainerLogDao;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The trainer log files a job stream may carry: a local trainer's file under {@code
 * logs.jobsDirectory}, checked exactly as {@code GET /v1/jobs/{id}/logs} checks it. A Kubernetes
 * pod's log is followed through that route instead (it has no byte offsets to resume from). Where
 * no file can be read (gone, on another machine, or the log is a pod's), the stream's catch-up
 * carries the archived copy, whose offsets are the file's.
 */
final class JobLogFiles {
  /** At most this much log per job and round: one huge burst must not hold the other jobs up. */
  static final long MAX_BYTES_PER_READ = 256 * 1024;

  private final TrainerLogDao logs;
  private final LocalLogStreamer local;
  private final ArchivedLogs archived;

  JobLogFiles(Jdbi jdbi, LocalLogStreamer local, ArchivedLogs archived) {
    this.logs = jdbi.onDemand(TrainerLogDao.class);
    this.local = local;
    this.archived = archived;
  }

  /**
   * Refuses, before the stream opens, a job whose log this API cannot stream; with an archive to
   * read, every job's stream may carry at least its archived log.
   */
  void requireStreamable(long jobId) {
    if (archived != null && archived.configured()) {
      String location = logs.find(jobId).map(TrainerLogDao.TrainerLogRow::trainerLog).orElse(null);
      if (location != null && !location.startsWith("kubernetes://") && local.servesFiles()) {
        local.checked(location); // 403 outside the jobs directory, as without an archive
      }
      return;
    }
    if (local == null || !local.servesFiles()) {
      throw new ApiException(
          503,
          "this API has no logs.jobsDirectory configured for local trainer logs; open the stream"
              + " without logs=true");
    }
    String location = logs.find(jobId).map(TrainerLogDao.TrainerLogRow::trainerLog).orElse(null);
    if (location != null && location.startsWith("kubernetes://")) {
      throw new ApiException(
          400,
          "job "
              + jobId
              + "'s trainer log is in its Kubernetes pod: follow it with GET /v1/jobs/"
              + jobId
              + "/logs?follow=true, and open the stream without logs=true",
          Map.of("logs", "not available for a trainer in Kubernetes"));
    }
    if (location != null) {
      local.checked(location); // 503 without logs.jobsDirectory, 403 outside it
    }
  }

  /** The job's log file; empty until its trainer was launched, or when it cannot be served. */
  Optional<Path> find(long jobId) {
    String location = logs.find(jobId).map(TrainerLogDao.TrainerLogRow::trainerLog).orElse(null);
    if (location == null || location.startsWith("kubernetes://") || local == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(local.checked(location));
    } catch (ApiException e) {
      return Optional.empty();
    }
  }

  /**
   * The archived lines after {@code offset} (the last {@code tail} when it is negative); empty when
   * none were archived or the store cannot be read.
   */
  Optional<LogSlice> archived(long jobId, long offset, int tail, boolean finalPass) {
    if (archived == null) {
      return Optional.empty();
    }
    try {
      return offset >= 0
          ? archived.read(jobId, offset, 0, finalPass)
          : archived.read(jobId, 0, tail, finalPass);
    } catch (ApiException e) {
      // The store is unreachable: the stream goes on without the log (the logs route says why).
      return Optional.empty();
    }
  }

  static LogSlice read(Path file, long offset, boolean finalPass) throws IOException {
    return LocalLogStreamer.readLines(file, offset, MAX_BYTES_PER_READ, finalPass);
  }

  static long length(Path file) {
    return file.toFile().length(); // 0 when it does not exist yet
  }
}
