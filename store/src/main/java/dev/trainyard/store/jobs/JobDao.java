package dev.trainyard.store.jobs;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The job rows the user API creates and reads. Status is never written here: the workflow owns it.
 */
@RegisterConstructorMapper(JobRecord.class)
public interface JobDao {
  String COLUMNS =
      "id, trace_id, idempotency_key, workflow_id, status, framework, model_name, dataset_id, epochs,"
          + " batch_size, learning_rate, project_id, hyperparameters::text AS hyperparameters,"
          + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
          + " cancel_grace_seconds, current_epoch, progress, last_heartbeat_at,"
          + " training_time_seconds, artifacts::text AS artifacts,"
          + " final_metrics::text AS final_metrics, error_message, failure_reason, mlflow_run_id,"
          + " cancel_requested_at, created_at, queued_at, started_at, completed_at";

  /** Reserves an id first, because the workflow id (stored in the same row) is derived from it. */
  @SqlQuery("SELECT nextval(pg_get_serial_sequence('training_jobs', 'id'))")
  long nextId();

  /** Inserts the pending row; 0 when another job already holds the idempotency key. */
  @SqlUpdate(
      "INSERT INTO training_jobs (id, trace_id, idempotency_key, workflow_id, status, framework,"
          + " model_name, dataset_id, epochs, batch_size, learning_rate, project_id, hyperparameters,"
          + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
          + " cancel_grace_seconds) VALUES (:id, :traceId, :idempotencyKey, :workflowId, 'pending',"
          + " :framework, :modelName, :datasetId, :epochs, :batchSize, :learningRate, :projectId,"
          + " CAST(:hyperparameters AS jsonb), :heartbeatTimeoutSeconds, :startupTimeoutSeconds,"
          + " :maxRuntimeSeconds, :cancelGraceSeconds)"
          + " ON CONFLICT (idempotency_key) DO NOTHING")
  int insert(@BindMethods NewJob job);

  /** Removes a row whose workflow could not be started, so no job stays pending forever. */
  @SqlUpdate("DELETE FROM training_jobs WHERE id = :id AND status = 'pending'")
  int deleteUnstarted(@Bind("id") long id);

  @SqlQuery("SELECT " + COLUMNS + " FROM training_jobs WHERE id = :id")
  Optional<JobRecord> findById(@Bind("id") long id);

  @SqlQuery("SELECT " + COLUMNS + " FROM training_jobs WHERE idempotency_key = :key")
  Optional<JobRecord> findByIdempotencyKey(@Bind("key") String key);

  /** Newest first, ids below {@code before} (null = from the newest), optionally one status. */
  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM training_jobs"
          + " WHERE (CAST(:status AS text) IS NULL OR status = :status)"
          + " AND (CAST(:before AS bigint) IS NULL OR id < :before)"
          + " ORDER BY id DESC LIMIT :limit")
  List<JobRecord> list(
      @Bind("status") String status, @Bind("before") Long before, @Bind("limit") int limit);
}
