package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.TrainingJobState;
import java.util.Locale;

/**
 * The earliest deadline a live job faces. Deadlines are derived from the state (launch time, last
 * callback, ...) rather than stored, so a heartbeat only moves a timestamp and never a timer: the
 * workflow keeps one timer, and when it fires it simply asks again. Public because the API's {@code
 * explain} asks the same rule what a job waits for, from the workflow's view or, when Temporal
 * cannot be asked, from the job's row.
 */
public final class JobDeadlines {
  /** After the trainer exits, a {@code done} it sent just before may still be on its way. */
  public static final long EXIT_GRACE_MILLIS = 5_000;

  public enum Kind {
    STARTUP,
    HEARTBEAT,
    RUNTIME,
    CANCEL_GRACE,
    EXIT_GRACE,
    /** Between attempts: the backoff ends and the next attempt starts. Not a failure. */
    NEXT_ATTEMPT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a {@link #wireName()} names, or null for null or a name this build lacks. */
    public static Kind fromWire(String name) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(name)) {
          return kind;
        }
      }
      return null;
    }
  }

  public record Deadline(Kind kind, long atMillis) {
    public boolean passed(long nowMillis) {
      return nowMillis >= atMillis;
    }
  }

  private JobDeadlines() {}

  /** The earliest deadline, or null when the job faces none (not launched, or already ended). */
  public static Deadline next(TrainingJobState state, JobTimeouts timeouts) {
    Deadline next = null;
    if (state.nextAttemptAtMillis > 0 && !state.status.isTerminal()) {
      // Between attempts no trainer runs: only the backoff and the job's max runtime count.
      next = new Deadline(Kind.NEXT_ATTEMPT, state.nextAttemptAtMillis);
      if (state.status == JobStatus.RUNNING) {
        next = earlier(next, Kind.RUNTIME, state.startedAtMillis, timeouts.maxRuntimeSeconds());
      }
      return next;
    }
    // Start-up counts from the current attempt's launch until its first callback.
    long attemptLaunchedAt =
        state.attemptLaunchedAtMillis > 0 ? state.attemptLaunchedAtMillis : state.launchedAtMillis;
    if (state.status == JobStatus.QUEUED) {
      next = earlier(next, Kind.STARTUP, attemptLaunchedAt, timeouts.startupTimeoutSeconds());
    }
    if (state.status == JobStatus.RUNNING) {
      if (state.attempt > 1 && state.attemptCallbacks == 0) {
        next = earlier(next, Kind.STARTUP, attemptLaunchedAt, timeouts.startupTimeoutSeconds());
      } else {
        next =
            earlier(
                next,
                Kind.HEARTBEAT,
                state.lastCallbackAtMillis,
                timeouts.heartbeatTimeoutSeconds());
      }
      next = earlier(next, Kind.RUNTIME, state.startedAtMillis, timeouts.maxRuntimeSeconds());
    }
    if (state.status.isTerminal() || state.status == JobStatus.PENDING) {
      return null;
    }
    if (state.cancel != null) {
      next =
          earlier(
              next, Kind.CANCEL_GRACE, state.cancelNoticedAtMillis, timeouts.cancelGraceSeconds());
    }
    if (state.exit != null) {
      Deadline exit = new Deadline(Kind.EXIT_GRACE, state.exitNoticedAtMillis + EXIT_GRACE_MILLIS);
      next = next == null || exit.atMillis() < next.atMillis() ? exit : next;
    }
    return next;
  }

  private static Deadline earlier(Deadline current, Kind kind, long fromMillis, long seconds) {
    long at = fromMillis + seconds * 1000;
    return current == null || at < current.atMillis() ? new Deadline(kind, at) : current;
  }
}
