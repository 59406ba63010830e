package dev.trainyard.workflows;

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
}
