package dev.trainyard.store.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.jackson2.Jackson2Config;

/**
 * Reads {@link JobDao#COLUMNS} into a {@link JobRecord}. Written out because the spec is the
 * workflow's own record (no JDBI annotations there) with its timeouts nested; the hyperparameters
 * are decoded with the Jdbi's configured Jackson mapper.
 */
public final class JobRecordMapper implements RowMapper<JobRecord> {
  private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

  @Override
  public JobRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new JobRecord(
        rs.getLong("id"),
        rs.getString("trace_id"),
        rs.getString("idempotency_key"),
        rs.getString("workflow_id"),
        rs.getString("status"),
        spec(rs, ctx),
        rs.getInt("current_epoch"),
        rs.getDouble("progress"),
        instant(rs, "last_heartbeat_at"),
        rs.getObject("training_time_seconds", Integer.class),
        rs.getString("artifacts"),
        rs.getString("final_metrics"),
        rs.getString("error_message"),
        rs.getString("failure_reason"),
        rs.getString("mlflow_run_id"),
        instant(rs, "cancel_requested_at"),
        rs.getString("submitted_by"),
        rs.getString("cancel_requested_by"),
        instant(rs, "created_at"),
        instant(rs, "queued_at"),
        instant(rs, "started_at"),
        instant(rs, "completed_at"),
        rs.getInt("attempt"));
  }

  private static SubmittedSpec spec(ResultSet rs, StatementContext ctx) throws SQLException {
    return new SubmittedSpec(
        rs.getString("framework"),
        rs.getString("model_name"),
        rs.getString("dataset_id"),
        rs.getInt("epochs"),
        rs.getInt("batch_size"),
        rs.getDouble("learning_rate"),
        rs.getString("project_id"),
        hyperparameters(rs.getString("hyperparameters"), ctx),
        new JobTimeouts(
            rs.getLong("heartbeat_timeout_seconds"),
            rs.getLong("startup_timeout_seconds"),
            rs.getLong("max_runtime_seconds"),
            rs.getLong("cancel_grace_seconds")),
        retryPolicy(rs.getString("retry_policy"), ctx),
        rs.getObject("checkpoint_every_epochs", Integer.class));
  }

  /** Null for a job submitted before retries (its spec's retryPolicy() is then none()). */
  private static RetryPolicy retryPolicy(String json, StatementContext ctx) throws SQLException {
    if (json == null) {
      return null;
    }
    try {
      return ctx.getConfig(Jackson2Config.class).getMapper().readValue(json, RetryPolicy.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("training_jobs.retry_policy is not a retry policy", e);
    }
  }

  private static Map<String, Object> hyperparameters(String json, StatementContext ctx)
      throws SQLException {
    try {
      return ctx.getConfig(Jackson2Config.class).getMapper().readValue(json, JSON_OBJECT);
    } catch (JsonProcessingException e) {
      throw new SQLException("training_jobs.hyperparameters is not a JSON object", e);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
