package dev.trainyard.store.jobs;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * A job's attempts ({@code job_attempts}, migration V7) and its current attempt ({@code
 * training_jobs.attempt}). The API reads them for the job view; the worker's job store writes them,
 * holding the job's row lock ({@link #lockJob}) so that the events it inserts keep their ids in
 * commit order (V5).
 */
@RegisterConstructorMapper(AttemptRecord.class)
public interface JobAttemptDao {
  /** The job's row, locked for the rest of the transaction. */
  record LockedRow(String traceId, int attempt) {}

  /** Every attempt of a job, first one first. */
  @SqlQuery(
      "SELECT job_id, attempt, started_at, ended_at, cause, message, resumed_from_uri,"
          + " resumed_from_epoch FROM job_attempts WHERE job_id = :jobId ORDER BY attempt")
  List<AttemptRecord> list(@Bind("jobId") long jobId);

  @SqlQuery("SELECT trace_id, attempt FROM training_jobs WHERE id = :id FOR UPDATE")
  @RegisterConstructorMapper(LockedRow.class)
  Optional<LockedRow> lockJob(@Bind("id") long jobId);

  /** Records an attempt's start; 0 when it was recorded before (a retried activity). */
  @SqlUpdate(
      "INSERT INTO job_attempts (job_id, attempt, started_at, resumed_from_uri, resumed_from_epoch)"
          + " VALUES (:jobId, :attempt, :startedAt, :uri, :epoch)"
          + " ON CONFLICT (job_id, attempt) DO NOTHING")
  int insertStarted(
      @Bind("jobId") long jobId,
      @Bind("attempt") int attempt,
      @Bind("startedAt") OffsetDateTime startedAt,
      @Bind("uri") String resumedFromUri,
      @Bind("epoch") Integer resumedFromEpoch);

  /**
   * Makes {@code attempt} the job's current one. The progress-signal mark and the liveness of the
   * earlier attempt are cleared: the new trainer's first callback is signalled (it ends the
   * attempt's start-up), and the earlier trainer's last callback does not count as this one's.
   */
  @SqlUpdate(
      "UPDATE training_jobs SET attempt = :attempt, "
          + ProgressSignalMarks.CLEAR_MARK
          + ", last_callback_at = NULL, updated_at = now() WHERE id = :jobId")
  int makeCurrent(@Bind("jobId") long jobId, @Bind("attempt") int attempt);

  /**
   * Records an attempt's end; 0 when it was recorded before. An attempt whose start was never
   * recorded gets a row that starts when it ended.
   */
  @SqlUpdate(
      "INSERT INTO job_attempts (job_id, attempt, started_at, ended_at, cause, message)"
          + " VALUES (:jobId, :attempt, :endedAt, :endedAt, :cause, :message)"
          + " ON CONFLICT (job_id, attempt) DO UPDATE SET ended_at = EXCLUDED.ended_at,"
          + " cause = EXCLUDED.cause, message = EXCLUDED.message"
          + " WHERE job_attempts.ended_at IS NULL")
  int insertEnded(
      @Bind("jobId") long jobId,
      @Bind("attempt") int attempt,
      @Bind("endedAt") OffsetDateTime endedAt,
      @Bind("cause") String cause,
      @Bind("message") String message);

  /** One of the orchestrator's attempt events ({@code attempt_started}, {@code attempt_failed}). */
  @SqlUpdate(
      "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message, data)"
          + " VALUES (:jobId, :traceId, 'trainyard', :level, :type, :message, CAST(:data AS jsonb))")
  void insertEvent(
      @Bind("jobId") long jobId,
      @Bind("traceId") String traceId,
      @Bind("level") String level,
      @Bind("type") String eventType,
      @Bind("message") String message,
      @Bind("data") String dataJson);
}
