package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.StatusChange;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory job store that enforces the same rules as the PostgreSQL one. */
final class RecordingJobStore implements JobStore {
  final List<StatusChange> changes = new ArrayList<>();
  private final Map<Long, JobStatus> statuses = new ConcurrentHashMap<>();

  /** What the API would have written to last_callback_at without signalling. */
  final Map<Long, Long> persistedCallbacks = new ConcurrentHashMap<>();

  final List<Long> livenessChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Every attempt record in the order the workflow wrote them: AttemptStart and AttemptEnd. */
  final List<Record> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public void attemptStarted(AttemptStart start) {
    attempts.add(start);
  }

  @Override
  public void attemptEnded(AttemptEnd end) {
    attempts.add(end);
  }

  List<Record> attempts(long jobId) {
    return attempts.stream()
        .filter(
            r ->
                r instanceof AttemptStart s
                    ? s.jobId() == jobId
                    : ((AttemptEnd) r).jobId() == jobId)
        .toList();
  }

  @Override
  public long lastCallbackAtMillis(long jobId) {
    livenessChecks.add(jobId);
    return persistedCallbacks.getOrDefault(jobId, 0L);
  }

  @Override
  public synchronized void recordTransition(StatusChange change) {
    JobStatus current = statuses.getOrDefault(change.jobId(), JobStatus.PENDING);
    if (current == change.to()) {
      return; // idempotent retry
    }
    if (current != change.from() || !change.from().canTransitionTo(change.to())) {
      throw ApplicationFailure.newNonRetryableFailure(
          current + " cannot become " + change.to(), FailureTypes.INVALID_TRANSITION);
    }
    statuses.put(change.jobId(), change.to());
    changes.add(change);
  }

  synchronized List<JobStatus> path(long jobId) {
    List<JobStatus> path = new ArrayList<>(List.of(JobStatus.PENDING));
    changes.stream().filter(c -> c.jobId() == jobId).forEach(c -> path.add(c.to()));
    return path;
  }

  synchronized List<StatusChange> changes(long jobId) {
    return changes.stream().filter(c -> c.jobId() == jobId).toList();
  }
}
