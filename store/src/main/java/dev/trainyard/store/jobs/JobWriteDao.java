package dev.trainyard.store.jobs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What the API writes after submit: the cancel request and the trainer's reports. Always used in a
 * transaction that starts with {@link #lock}, and that also signals the workflow.
 */
@RegisterConstructorMapper(LockedJob.class)
public interface JobWriteDao {
  @SqlQuery(
      "SELECT id, trace_id, project_id, status, cancel_requested_at,"
          + " done_report::text AS done_report, attempt"
          + " FROM training_jobs WHERE id = :id FOR UPDATE")
  Optional<LockedJob> lock(@Bind("id") long id);

  @SqlQuery(
      "UPDATE training_jobs SET cancel_requested_at = now(), cancel_requested_by = :by,"
          + " updated_at = now() WHERE id = :id AND cancel_requested_at IS NULL"
          + " RETURNING cancel_requested_at")
  Optional<Instant> requestCancel(@Bind("id") long id, @Bind("by") String requestedBy);

  /**
   * Records a heartbeat and, when the job's progress signal is due, marks it sent: returns whether
   * it was, so the caller signals the workflow in the same transaction.
   */
  @SqlQuery(
      "UPDATE training_jobs j SET current_epoch = COALESCE(:epoch, current_epoch),"
          + " progress = COALESCE(:progress, progress), last_heartbeat_at = now(),"
          + " last_callback_at = now(), updated_at = now(), "
          + ProgressSignalMarks.MARK_IF_DUE
          + " WHERE j.id = :id RETURNING "
          + ProgressSignalMarks.MARKED_NOW)
  boolean recordHeartbeat(
      @Bind("id") long id,
      @Bind("epoch") Integer epoch,
      @Bind("progress") Double progress,
      @Bind("signalDueBefore") OffsetDateTime signalDueBefore);

  @SqlUpdate(
      "INSERT INTO training_metrics (job_id, epoch, step, metrics)"
          + " VALUES (:jobId, :epoch, :step, CAST(:metrics AS jsonb))")
  void insertMetrics(
      @Bind("jobId") long jobId,
      @Bind("epoch") int epoch,
      @Bind("step") int step,
      @Bind("metrics") String metricsJson);

  @SqlUpdate(
      "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message, data)"
          + " VALUES (:jobId, :traceId, 'trainer', :level, :eventType, :message,"
          + " CAST(:data AS jsonb))")
  void insertTrainerEvent(
      @Bind("jobId") long jobId,
      @Bind("traceId") String traceId,
      @Bind("level") String level,
      @Bind("eventType") String eventType,
      @Bind("message") String message,
      @Bind("data") String dataJson);

  @SqlUpdate(
      "UPDATE training_jobs SET done_report = CAST(:report AS jsonb),"
          + " artifacts = CAST(:artifacts AS jsonb), final_metrics = CAST(:finalMetrics AS jsonb),"
          + " mlflow_run_id = :mlflowRunId, training_time_seconds = :trainingTimeSeconds,"
          + " error_message = COALESCE(:error, error_message), updated_at = now()"
          + " WHERE id = :id AND done_report IS NULL")
  int recordDone(
      @Bind("id") long id,
      @Bind("report") String reportJson,
      @Bind("artifacts") String artifactsJson,
      @Bind("finalMetrics") String finalMetricsJson,
      @Bind("mlflowRunId") String mlflowRunId,
      @Bind("trainingTimeSeconds") Integer trainingTimeSeconds,
      @Bind("error") String error);

  /**
   * An event proves the trainer alive as much as a heartbeat does. Like {@link #recordHeartbeat},
   * marks a due progress signal sent and returns whether it was.
   */
  @SqlQuery(
      "UPDATE training_jobs j SET last_callback_at = now(), updated_at = now(), "
          + ProgressSignalMarks.MARK_IF_DUE
          + " WHERE j.id = :id RETURNING "
          + ProgressSignalMarks.MARKED_NOW)
  boolean recordCallback(
      @Bind("id") long id, @Bind("signalDueBefore") OffsetDateTime signalDueBefore);
}
