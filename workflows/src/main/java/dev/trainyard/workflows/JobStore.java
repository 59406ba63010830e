package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.StatusChange;
import io.temporal.activity.ActivityInterface;

/** Writes the job's status to the queryable record (PostgreSQL). */
@ActivityInterface
public interface JobStore {

  /**
   * Applies one transition. Idempotent: applying a change the record already shows succeeds. Throws
   * a non-retryable failure of type {@code InvalidTransition} when the record is in a state the
   * transition cannot start from.
   */
  void recordTransition(StatusChange change);

  /**
   * When the trainer last called back, as the API recorded it (epoch millis; 0 if never). The API
   * does not signal every heartbeat, so the workflow asks here before it declares a trainer silent.
   */
  long lastCallbackAtMillis(long jobId);

  /**
   * An attempt starts, right before its launch (attempt 1 too): upserts its row, makes it the job's
   * current attempt (callbacks of other attempts are refused from now on), resets the job's
   * progress-signal mark so that the new attempt's first callback is signalled, and from attempt 2
   * on records an {@code attempt_started} event. Idempotent.
   */
  void attemptStarted(AttemptStart start);

  /**
   * An attempt ended: closes its row; when it failed and another attempt follows ({@code
   * nextAttemptAtMillis} set) records an {@code attempt_failed} event. Called for every attempt
   * that ends, the job's last one too. Idempotent.
   */
  void attemptEnded(AttemptEnd end);
}
