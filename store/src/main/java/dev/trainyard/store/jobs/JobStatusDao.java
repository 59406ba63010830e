package dev.trainyard.store.jobs;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The status columns of {@code training_jobs} and the orchestrator's rows in {@code job_events}.
 */
public interface JobStatusDao {

  /** Where a job stands now; used to tell an idempotent retry from a refused transition. */
  record JobRow(String status, String traceId) {}

  /**
   * Moves the job from {@code from} to {@code to} only if it is still in {@code from} (compare and
   * set, so two writers can never both win). Returns the trace id when it applied.
   */
  @SqlQuery(
      "UPDATE training_jobs SET status = :to, <timestampColumn> = :at,"
          + " failure_reason = COALESCE(:reason, failure_reason),"
          + " error_message = CASE WHEN :recordError THEN COALESCE(error_message, :message)"
          + "   ELSE error_message END,"
          + " trainer_log = COALESCE(:trainerLog, trainer_log),"
          + " updated_at = now()"
          + " WHERE id = :id AND status = :from"
          + " RETURNING trace_id")
  Optional<String> compareAndSetStatus(
      @Bind("id") long id,
      @Bind("from") String from,
      @Bind("to") String to,
      @Define("timestampColumn") String timestampColumn,
      @Bind("at") OffsetDateTime at,
      @Bind("reason") String reason,
      @Bind("recordError") boolean recordError,
      @Bind("message") String message,
      @Bind("trainerLog") String trainerLog);

  @SqlQuery(
      "SELECT COALESCE((EXTRACT(EPOCH FROM last_callback_at) * 1000)::bigint, 0)"
          + " FROM training_jobs WHERE id = :id")
  Optional<Long> lastCallbackAtMillis(@Bind("id") long id);

  @SqlQuery("SELECT status, trace_id FROM training_jobs WHERE id = :id")
  @RegisterConstructorMapper(JobRow.class)
  Optional<JobRow> find(@Bind("id") long id);

  @SqlUpdate(
      "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message, data)"
          + " VALUES (:jobId, :traceId, 'trainyard', :level, 'status_changed', :message,"
          + " CAST(:data AS jsonb))")
  void insertStatusEvent(
      @Bind("jobId") long jobId,
      @Bind("traceId") String traceId,
      @Bind("level") String level,
      @Bind("message") String message,
      @Bind("data") String dataJson);
}
