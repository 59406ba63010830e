package dev.trainyard.api.logs;

import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * A job's last trainer log lines, tokens masked, from wherever {@link TrainerLogSources} finds them
 * (the file, the pod, else the archive): what {@code explain} shows beside a failure.
 */
public final class TrainerLogLines {
  private final JobLogLookup jobs;
  private final TrainerLogSources sources;
  private final PodLogStreamer pods;

  TrainerLogLines(JobLogLookup jobs, TrainerLogSources sources, PodLogStreamer pods) {
    this.jobs = jobs;
    this.sources = sources;
    this.pods = pods;
  }

  /**
   * The last {@code n} lines (at most {@link LogParams#MAX_TAIL}); empty when the job has no log
   * yet or its log cannot be read here (the reason is the logs endpoint's to tell).
   */
  public Optional<List<String>> lastLines(JobRecord job, int n) {
    int tail = Math.max(1, Math.min(n, LogParams.MAX_TAIL));
    JobLogLookup.JobLog log =
        new JobLogLookup.JobLog(
            job.id(),
            job.traceId(),
            jobs.find(job.id()).trainerLog(),
            JobStatus.fromWire(job.status()).isTerminal());
    try {
      TrainerLogSources.Source source = sources.find(log, tail);
      if (source instanceof TrainerLogSources.LocalFile f) {
        if (!Files.exists(f.file())) {
          return Optional.empty(); // not written yet, or gone and never archived
        }
        long start = LocalLogStreamer.tailStart(f.file(), tail);
        return Optional.of(
            LocalLogStreamer.readLines(f.file(), start, Long.MAX_VALUE, true).lines());
      }
      if (source instanceof TrainerLogSources.PodLog p) {
        return Optional.of(pods.tail(p.pod(), tail));
      }
      if (source instanceof TrainerLogSources.Archived a) {
        return Optional.of(a.tail().lines());
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) { // ApiException among them: not readable here
      return Optional.empty();
    }
  }
}
