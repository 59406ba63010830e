package dev.trainyard.store.jobs;

import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The job rows the user API creates and reads. Status is never written here: the workflow owns it.
 */
@RegisterRowMapper(JobRecordMapper.class)
public interface JobDao extends SqlObject {
  /** The columns {@link JobRecordMapper} reads. */
  String COLUMNS =
      "id, trace_id, idempotency_key, workflow_id, status, framework, model_name, dataset_id, epochs,"
          + " batch_size, learning_rate, project_id, hyperparameters::text AS hyperparameters,"
          + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
          + " cancel_grace_seconds, current_epoch, progress, last_heartbeat_at,"
          + " training_time_seconds, artifacts::text AS artifacts,"
          + " final_metrics::text AS final_metrics, error_message, failure_reason, mlflow_run_id,"
          + " cancel_requested_at, submitted_by, cancel_requested_by, created_at, queued_at,"
          + " started_at, completed_at, attempt, retry_policy::text AS retry_policy,"
          + " checkpoint_every_epochs";

  /** Reserves an id first, because the workflow id (stored in the same row) is derived from it. */
  @SqlQuery("SELECT nextval(pg_get_serial_sequence('training_jobs', 'id'))")
  long nextId();

  /**
   * Inserts the job's pending row; 0 when another job already holds the idempotency key. {@code
   * hyperparametersJson} is the spec's hyperparameters written by the caller's JSON mapper.
   */
  default int insert(
      JobSpec job,
      String idempotencyKey,
      String workflowId,
      String hyperparametersJson,
      String submittedBy) {
    return insert(job, idempotencyKey, workflowId, hyperparametersJson, null, submittedBy);
  }

  /**
   * As above, with the spec's retry policy written by the caller's JSON mapper ({@code
   * retryPolicyJson}; null: none recorded, read back as the spec's own default).
   */
  default int insert(
      JobSpec job,
      String idempotencyKey,
      String workflowId,
      String hyperparametersJson,
      String retryPolicyJson,
      String submittedBy) {
    SubmittedSpec spec = job.submitted();
    return insert(
        job,
        spec,
        spec.timeouts(),
        idempotencyKey,
        workflowId,
        hyperparametersJson,
        retryPolicyJson,
        submittedBy);
  }

  @SqlUpdate(
      "INSERT INTO training_jobs (id, trace_id, idempotency_key, workflow_id, status, framework,"
          + " model_name, dataset_id, epochs, batch_size, learning_rate, project_id, hyperparameters,"
          + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
          + " cancel_grace_seconds, submitted_by, retry_policy, checkpoint_every_epochs)"
          + " VALUES (:job.jobId, :job.traceId, :idempotencyKey, :workflowId,"
          + " 'pending', :spec.framework, :spec.modelName, :spec.datasetId, :spec.epochs,"
          + " :spec.batchSize, :spec.learningRate, :spec.projectId, CAST(:hyperparameters AS jsonb),"
          + " :timeouts.heartbeatTimeoutSeconds, :timeouts.startupTimeoutSeconds,"
          + " :timeouts.maxRuntimeSeconds, :timeouts.cancelGraceSeconds, :submittedBy,"
          + " CAST(:retryPolicy AS jsonb), :spec.checkpointEveryEpochs)"
          + " ON CONFLICT (project_id, idempotency_key) DO NOTHING")
  int insert(
      @BindMethods("job") JobSpec job,
      @BindMethods("spec") SubmittedSpec spec,
      @BindMethods("timeouts") JobTimeouts timeouts,
      @Bind("idempotencyKey") String idempotencyKey,
      @Bind("workflowId") String workflowId,
      @Bind("hyperparameters") String hyperparametersJson,
      @Bind("retryPolicy") String retryPolicyJson,
      @Bind("submittedBy") String submittedBy);

  /** Removes a row whose workflow could not be started, so no job stays pending forever. */
  @SqlUpdate("DELETE FROM training_jobs WHERE id = :id AND status = 'pending'")
  int deleteUnstarted(@Bind("id") long id);

  @SqlQuery("SELECT " + COLUMNS + " FROM training_jobs WHERE id = :id")
  Optional<JobRecord> findById(@Bind("id") long id);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM training_jobs WHERE project_id = :project AND idempotency_key = :key")
  Optional<JobRecord> findByIdempotencyKey(
      @Bind("project") String project, @Bind("key") String key);

  /** The project a job belongs to; empty if there is no such job. */
  @SqlQuery("SELECT project_id FROM training_jobs WHERE id = :id")
  Optional<String> projectOf(@Bind("id") long id);

  /**
   * A page of jobs, newest first, holding only the conditions that are set: each combination is its
   * own statement, so the planner sees exactly the filter and picks the index for it (a catch-all
   * {@code :x IS NULL OR col = :x} would leave a generic plan scanning every row for a filter that
   * matches few).
   */
  default List<JobRecord> list(JobListQuery query) {
    return getHandle()
        .createQuery(listSql(query))
        .bindMethods(query)
        .bind("traceTo", query.traceUpperBound())
        // each statement uses only the bindings of its own conditions
        .configure(SqlStatements.class, statements -> statements.setUnusedBindingAllowed(true))
        .map(new JobRecordMapper())
        .list();
  }

  /**
   * The statement {@link #list} runs for this query (named parameters: the query's fields and
   * {@code traceTo}), for EXPLAIN in the list benchmark. Composed here, not with a {@code <where>}
   * template: the API turns template rendering off.
   */
  static String listSql(JobListQuery query) {
    List<String> where = new ArrayList<>();
    if (query.status() != null) {
      where.add("status = :status");
    }
    if (query.project() != null) {
      where.add("project_id = :project");
    }
    if (query.model() != null) {
      where.add("model_name = :model");
    }
    if (query.tracePrefix() != null) {
      // the range is what the index answers; LIKE states the rule (q never holds % or _)
      String trace =
          "(lower(trace_id) COLLATE \"C\" >= :tracePrefix"
              + " AND lower(trace_id) COLLATE \"C\" < :traceTo"
              + " AND lower(trace_id) LIKE :tracePrefix || '%')";
      where.add(query.jobId() == null ? trace : "(id = :jobId OR " + trace + ")");
    }
    if (query.before() != null) {
      where.add("id < :before");
    }
    return "SELECT "
        + COLUMNS
        + " FROM training_jobs"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT :limit";
  }
}
