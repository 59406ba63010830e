package dev.trainyard.api.explain;

import dev.trainyard.api.explain.Explanation.Attempts;
import dev.trainyard.api.jobs.JobView;
import dev.trainyard.store.jobs.AttemptRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.messages.JobStateView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job's attempts in plain words: one line per attempt (when it started, how long it ran, how it
 * ended, the checkpoint it resumed from), and, while the workflow waits out a retry's backoff, when
 * the next one starts.
 */
final class AttemptWords {
  private AttemptWords() {}

  static Attempts of(JobRecord job, List<AttemptRecord> attempts, JobStateView state, Instant now) {
    int max = job.spec().retryPolicy().maxAttempts();
    List<String> lines = attempts.stream().map(a -> line(job, a, now)).toList();
    String retrying = retrying(job, state, max, now);
    return new Attempts(
        job.attempt(),
        max,
        lines,
        retrying,
        retrying == null ? null : JobView.iso(Instant.ofEpochMilli(state.nextAttemptAtMillis())));
  }

  /** "retrying: attempt 2 of 3 at 2026-…Z (in 8 s)", or null when no backoff is pending. */
  static String retrying(JobRecord job, JobStateView state, int max, Instant now) {
    if (state == null
        || state.nextAttemptAtMillis() <= 0
        || JobStatus.fromWire(job.status()).isTerminal()) {
      return null;
    }
    Instant at = Instant.ofEpochMilli(state.nextAttemptAtMillis());
    long left = Duration.between(now, at).toMillis();
    int next = Math.max(state.attempt(), job.attempt()) + 1;
    int of = state.maxAttempts() > 0 ? state.maxAttempts() : max;
    return "retrying: attempt "
        + next
        + " of "
        + of
        + " at "
        + JobView.iso(at)
        + (left >= 0
            ? " (in " + DurationText.of(left / 1000.0) + ")"
            : " (due " + DurationText.of(-left / 1000.0) + " ago)");
  }

  private static String line(JobRecord job, AttemptRecord a, Instant now) {
    StringBuilder text = new StringBuilder("attempt ").append(a.attempt());
    text.append(" started ").append(JobView.iso(a.startedAt()));
    if (a.resumedFromUri() != null) {
      text.append(", resuming from ")
          .append(a.resumedFromEpoch() == null ? "a checkpoint" : "epoch " + a.resumedFromEpoch())
          .append(" (")
          .append(a.resumedFromUri())
          .append(')');
    } else if (a.attempt() > 1) {
      text.append(", from the start (no checkpoint to resume from)");
    }
    if (a.endedAt() == null) {
      text.append("; running for ").append(length(a.startedAt(), now));
      return text.toString();
    }
    text.append("; ran ").append(length(a.startedAt(), a.endedAt()));
    if (a.cause() == null) {
      text.append(" and ended ")
          .append(JobStatus.fromWire(job.status()).isTerminal() ? job.status() : "");
      return text.toString().strip();
    }
    text.append(" and failed (").append(a.cause()).append(')');
    String words = FailureReasons.words(a.cause(), job.spec().timeouts());
    if (words != null) {
      text.append(": ").append(words);
    }
    if (a.message() != null && !a.message().isBlank()) {
      text.append(" The message was: “").append(a.message()).append("”.");
    }
    return text.toString();
  }

  private static String length(Instant from, Instant to) {
    return from == null || to == null
        ? "?"
        : DurationText.of(Duration.between(from, to).toMillis() / 1000.0);
  }
}
