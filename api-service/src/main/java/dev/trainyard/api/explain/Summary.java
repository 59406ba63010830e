package dev.trainyard.api.explain;

import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** A job's status in words, on one line: "running: epoch 3 of 10 (30 %), last callback 2 s ago". */
final class Summary {
  private Summary() {}

  static String of(JobRecord job, long lastCallbackAtMillis, Instant now) {
    JobStatus status = JobStatus.fromWire(job.status());
    String cancel =
        job.cancelRequestedAt() != null && !status.isTerminal()
            ? "; a cancel was requested " + since(job.cancelRequestedAt(), now) + " ago"
            : "";
    int max = job.spec().retryPolicy().maxAttempts();
    String attempt =
        max > 1 || job.attempt() > 1 ? "attempt " + job.attempt() + " of " + max + ", " : "";
    return switch (status) {
      case PENDING ->
          "pending: submitted "
              + since(job.createdAt(), now)
              + " ago; the trainer has not been launched yet"
              + cancel;
      case QUEUED ->
          "queued: the trainer was launched "
              + since(job.queuedAt(), now)
              + " ago and has not called back yet"
              + cancel;
      case RUNNING ->
          String.format(
                  Locale.ROOT,
                  "running: %sepoch %d of %d (%.1f %%), ",
                  attempt,
                  job.currentEpoch(),
                  job.spec().epochs(),
                  job.progress())
              + (lastCallbackAtMillis > 0
                  ? "last callback "
                      + since(Instant.ofEpochMilli(lastCallbackAtMillis), now)
                      + " ago"
                  : "no callback recorded")
              + cancel;
      case SUCCEEDED, FAILED, CANCELLED ->
          job.status()
              + (job.failureReason() == null ? "" : " (" + job.failureReason() + ")")
              + (job.attempt() > 1 ? " in attempt " + job.attempt() + " of " + max : "")
              + (job.completedAt() == null
                  ? ""
                  : " after "
                      + length(job.createdAt(), job.completedAt())
                      + ", "
                      + since(job.completedAt(), now)
                      + " ago");
    };
  }

  private static String since(Instant from, Instant now) {
    return from == null ? "?" : length(from, now);
  }

  private static String length(Instant from, Instant to) {
    return DurationText.of(Duration.between(from, to).toMillis() / 1000.0);
  }
}
