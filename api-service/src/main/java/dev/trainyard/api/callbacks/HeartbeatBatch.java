package dev.trainyard.api.callbacks;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes many jobs' heartbeats with one statement, in one transaction: each row is applied only if
 * its job is running, its trace id matches and its progress signal is not due; for those the job's
 * progress and liveness are updated and the metrics inserted. Rows that do not qualify change
 * nothing. Returns the applied job ids, each with whether its cancel was requested.
 */
public final class HeartbeatBatch {
  /** One heartbeat, as written; metricsJson is null when the heartbeat carried no metrics. */
  public record Row(
      long jobId, String traceId, Integer epoch, Integer step, Double progress, String metricsJson) {}

  private static final String SQL =
      """
      WITH input AS (
        SELECT * FROM unnest(:ids, :traces, :epochs, :steps, :progresses, :metrics)
          AS i(id, trace_id, epoch, step, progress, metrics)
      ), updated AS (
        UPDATE training_jobs j
           SET current_epoch = COALESCE(i.epoch, j.current_epoch),
               progress = COALESCE(i.progress, j.progress),
               last_heartbeat_at = now(), last_callback_at = now(), updated_at = now()
          FROM input i
         WHERE j.id = i.id AND j.trace_id = i.trace_id AND j.status = 'running'
           AND j.callback_signalled_at > :signalDueBefore
        RETURNING j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested
      ), inserted AS (
        INSERT INTO training_metrics (job_id, epoch, step, metrics)
        SELECT i.id, COALESCE(i.epoch, 0), COALESCE(i.step, 0), CAST(i.metrics AS jsonb)
          FROM input i JOIN updated u ON u.id = i.id
         WHERE i.metrics IS NOT NULL
      )
      SELECT id, cancel_requested FROM updated
      """;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration progressSignalInterval;

  public HeartbeatBatch(Jdbi jdbi, Clock clock, Duration progressSignalInterval) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.progressSignalInterval = progressSignalInterval;
  }

  public Map<Long, Boolean> apply(List<Row> rows) {
    OffsetDateTime signalDueBefore =
        clock.instant().minus(progressSignalInterval).atOffset(ZoneOffset.UTC);
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(SQL)
                .bindArray("ids", Long.class, rows.stream().map(Row::jobId).toList())
                .bindArray("traces", String.class, rows.stream().map(Row::traceId).toList())
                .bindArray("epochs", Integer.class, rows.stream().map(Row::epoch).toList())
                .bindArray("steps", Integer.class, rows.stream().map(Row::step).toList())
                .bindArray("progresses", Double.class, rows.stream().map(Row::progress).toList())
                .bindArray("metrics", String.class, rows.stream().map(Row::metricsJson).toList())
                .bind("signalDueBefore", signalDueBefore)
                .reduceRows(
                    new HashMap<Long, Boolean>(),
                    (applied, row) -> {
                      applied.put(row.getColumn("id", Long.class), row.getColumn("cancel_requested", Boolean.class));
                      return applied;
                    }));
  }
}
