package dev.trainyard.bench.support;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** What PostgreSQL says about a job: the facts the fault tests assert on. */
public final class JobFacts {
  private final Jdbi jdbi;

  public JobFacts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public String status(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT status FROM training_jobs WHERE id = :id")
                .bind("id", jobId)
                .mapTo(String.class)
                .one());
  }

  public String failureReason(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT failure_reason FROM training_jobs WHERE id = :id")
                .bind("id", jobId)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
  }

  /** The job's status_changed events into a terminal state: exactly one for an ended job. */
  public List<String> terminalTransitions(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT data->>'to' FROM job_events WHERE job_id = :id AND event_type = 'status_changed'"
                        + " AND data->>'to' IN ('succeeded','failed','cancelled') ORDER BY id")
                .bind("id", jobId)
                .mapTo(String.class)
                .list());
  }

  /** Heartbeat metric rows (done's final metrics are epoch -1 and not counted). */
  public long heartbeatMetricRows(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM training_metrics WHERE job_id = :id AND epoch >= 0")
                .bind("id", jobId)
                .mapTo(Long.class)
                .one());
  }

  public long trainerEvents(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM job_events WHERE job_id = :id AND source = 'trainer'")
                .bind("id", jobId)
                .mapTo(Long.class)
                .one());
  }

  /** Milliseconds between the last accepted callback and the job's end, per the database clock. */
  public long silenceBeforeEndMillis(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT (EXTRACT(EPOCH FROM completed_at - last_callback_at) * 1000)::bigint"
                        + " FROM training_jobs WHERE id = :id")
                .bind("id", jobId)
                .mapTo(Long.class)
                .one());
  }

  public Map<String, Object> row(long jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM training_jobs WHERE id = :id")
                .bind("id", jobId)
                .mapToMap()
                .one());
  }
}
