package dev.trainyard.store.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;

/**
 * The progress-signal mark, {@code training_jobs.callback_signalled_at}: when the API last told a
 * job's workflow about its trainer's callbacks. Every statement that writes the mark takes it from
 * here, and so does the one rule of when the next signal is due: a job that is not running yet must
 * hear of every callback (the first one starts it); a running job hears of them at most once per
 * interval, since its workflow reads liveness from {@code last_callback_at} and the signal only
 * refreshes the progress its query shows.
 *
 * <p>The rule is SQL, evaluated by the statement that records the callback, so deciding, marking
 * and recording are one statement under the row's lock, and the group commit and the one-job path
 * cannot disagree. "Now" is the API's clock ({@link #signalDueBefore}); the mark is the database's
 * {@code now()} of the transaction that set it.
 */
public final class ProgressSignalMarks {
  /**
   * A running job's signal is due: never sent, or sent an interval or more before now (bound as
   * {@code :signalDueBefore}). The job's row is aliased {@code j}.
   */
  static final String RUNNING_JOB_DUE =
      "j.callback_signalled_at IS NULL OR j.callback_signalled_at <= :signalDueBefore";

  /** Marks the signal sent now if it is due for a job known to be running, else keeps the mark. */
  static final String MARK_RUNNING_JOB_IF_DUE =
      "callback_signalled_at = CASE WHEN "
          + RUNNING_JOB_DUE
          + " THEN now() ELSE j.callback_signalled_at END";

  /** Marks the signal sent now if it is due for a job in any status, else keeps the mark. */
  static final String MARK_IF_DUE =
      "callback_signalled_at = CASE WHEN j.status <> 'running' OR "
          + RUNNING_JOB_DUE
          + " THEN now() ELSE j.callback_signalled_at END";

  /**
   * After a statement that ran {@link #MARK_IF_DUE} or {@link #MARK_RUNNING_JOB_IF_DUE}: whether it
   * set the mark (the mark equals this transaction's {@code now()}), i.e. whether a signal is due.
   */
  static final String MARKED_NOW = "j.callback_signalled_at = now()";

  /** After the same statements: the mark the statement set, or null when it kept the old one. */
  static final String MARK_SET_NOW =
      "CASE WHEN " + MARKED_NOW + " THEN j.callback_signalled_at END";

  /**
   * Clears the mark, so that the next callback's signal is due at once: a job's new attempt, whose
   * first callback ends that attempt's start-up in the workflow ({@link JobAttemptDao}).
   */
  static final String CLEAR_MARK = "callback_signalled_at = NULL";

  private static final String MOVE_BACK =
      "UPDATE training_jobs SET callback_signalled_at = :dueAgainFrom"
          + " WHERE id = :id AND callback_signalled_at = :markedAt";

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration interval;

  public ProgressSignalMarks(Jdbi jdbi, Clock clock, Duration interval) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.interval = interval;
  }

  /** Binds {@code :signalDueBefore}: a mark at or before this instant makes the signal due. */
  public OffsetDateTime signalDueBefore() {
    return clock.instant().minus(interval).atOffset(ZoneOffset.UTC);
  }

  /**
   * For a signal marked sent at {@code markedAt} that could not be sent: moves the mark back so the
   * signal falls due again {@code retryAfter} from the mark, unless a later mark replaced it.
   */
  public void dueAgainAfter(long jobId, OffsetDateTime markedAt, Duration retryAfter) {
    OffsetDateTime dueAgainFrom = markedAt.minus(interval).plus(retryAfter);
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(MOVE_BACK)
                .bind("dueAgainFrom", dueAgainFrom)
                .bind("id", jobId)
                .bind("markedAt", markedAt)
                .execute());
  }
}
