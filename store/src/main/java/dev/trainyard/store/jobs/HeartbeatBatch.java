package dev.trainyard.store.jobs;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes many jobs' heartbeats with one statement, in one transaction: each row is applied only if
 * its job is running and its trace id and attempt match (a heartbeat from an earlier attempt's
 * trainer changes nothing here; the API's one-job path then answers it 409); for those the job's
 * progress and liveness are updated and the metrics inserted. A row whose progress signal is due
 * ({@link ProgressSignalMarks}) is marked signalled in the same update, and says so, for the API to
 * send after the reply. Rows that do not qualify change nothing. Returns the applied job ids, each
 * with what the reply and the signal need.
 */
public final class HeartbeatBatch {
  /**
   * One heartbeat, as written; metricsJson is null when the heartbeat carried no metrics, attempt
   * is the one its callback token names (1 for a token without the claim).
   */
  public record Row(
      long jobId,
      String traceId,
      Integer epoch,
      Integer step,
      Double progress,
      String metricsJson,
      int attempt) {}

  /**
   * An applied heartbeat: whether its job's cancel was requested, and, when this heartbeat made the
   * progress signal due, the time the statement marked it sent (else null).
   */
  public record Applied(boolean cancelRequested, OffsetDateTime signalMarkedAt) {}

  private static final String SQL =
      """
      WITH input AS (
        SELECT * FROM unnest(:ids, :traces, :epochs, :steps, :progresses, :metrics, :attempts)
          AS i(id, trace_id, epoch, step, progress, metrics, attempt)
      ), updated AS (
        UPDATE training_jobs j
           SET current_epoch = COALESCE(i.epoch, j.current_epoch),
               progress = COALESCE(i.progress, j.progress),
               last_heartbeat_at = now(), last_callback_at = now(), updated_at = now(),
               %s
          FROM input i
         WHERE j.id = i.id AND j.trace_id = i.trace_id AND j.attempt = i.attempt
           AND j.status = 'running'
        -- RETURNING sees the new row: a mark equal to this transaction's now() was set just above
        RETURNING j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested,
                  %s AS signal_marked_at
      ), inserted AS (
        INSERT INTO training_metrics (job_id, epoch, step, metrics)
        SELECT i.id, COALESCE(i.epoch, 0), COALESCE(i.step, 0), CAST(i.metrics AS jsonb)
          FROM input i JOIN updated u ON u.id = i.id
         WHERE i.metrics IS NOT NULL
      )
      SELECT id, cancel_requested, signal_marked_at FROM updated
      """
          .formatted(ProgressSignalMarks.MARK_RUNNING_JOB_IF_DUE, ProgressSignalMarks.MARK_SET_NOW);

  private final Jdbi jdbi;
  private final ProgressSignalMarks marks;

  public HeartbeatBatch(Jdbi jdbi, ProgressSignalMarks marks) {
    this.jdbi = jdbi;
    this.marks = marks;
  }

  public Map<Long, Applied> apply(List<Row> rows) {
    OffsetDateTime signalDueBefore = marks.signalDueBefore();
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
                .bindArray("attempts", Integer.class, rows.stream().map(Row::attempt).toList())
                .bind("signalDueBefore", signalDueBefore)
                .reduceRows(
                    new HashMap<Long, Applied>(),
                    (applied, row) -> {
                      applied.put(
                          row.getColumn("id", Long.class),
                          new Applied(
                              row.getColumn("cancel_requested", Boolean.class),
                              row.getColumn("signal_marked_at", OffsetDateTime.class)));
                      return applied;
                    }));
  }
}
