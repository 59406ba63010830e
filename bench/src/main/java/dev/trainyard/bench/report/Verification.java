package dev.trainyard.bench.report;

import dev.trainyard.bench.sim.VirtualTrainer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * After a run, compares what the trainers were told (200) with what PostgreSQL holds: every
 * heartbeat answered 200 with metrics must be a training_metrics row (lost = fewer rows), every job
 * must have exactly one terminal transition, and no live trainer's job may have timed out.
 */
public final class Verification {
  public record Result(
      long jobs,
      long acceptedHeartbeats,
      long metricRows,
      long lostCallbacks,
      long unexpectedRows,
      long jobsWithoutOneTerminalTransition,
      long falseHeartbeatTimeouts,
      Map<String, Long> finalStatuses) {}

  private Verification() {}

  public static Result check(Jdbi jdbi, Collection<VirtualTrainer> trainers, Set<Long> silenced) {
    Map<Long, Long> rows = new HashMap<>();
    Map<Long, Long> terminalTransitions = new HashMap<>();
    Map<Long, String> reasons = new HashMap<>();
    jdbi.useHandle(
        h -> {
          h.createQuery(
                  "SELECT job_id, count(*) AS n FROM training_metrics WHERE epoch >= 0 GROUP BY job_id")
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
              .forEach(e -> rows.put(e.getKey(), e.getValue()));
          h.createQuery(
                  "SELECT job_id, count(*) FROM job_events WHERE event_type = 'status_changed'"
                      + " AND data->>'to' IN ('succeeded','failed','cancelled') GROUP BY job_id")
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
              .forEach(e -> terminalTransitions.put(e.getKey(), e.getValue()));
          h.createQuery("SELECT id, status, COALESCE(failure_reason, '') FROM training_jobs")
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(3)))
              .forEach(e -> reasons.put(e.getKey(), e.getValue()));
        });
    long accepted = 0, rowCount = 0, lost = 0, extra = 0, badEnds = 0, falseTimeouts = 0;
    Map<String, Long> finalStatuses = new LinkedHashMap<>();
    for (VirtualTrainer trainer : trainers) {
      long a = trainer.acceptedWithMetrics.get();
      long r = rows.getOrDefault(trainer.jobId, 0L);
      accepted += a;
      rowCount += r;
      lost += Math.max(0, a - r);
      extra += Math.max(0, r - a);
      if (terminalTransitions.getOrDefault(trainer.jobId, 0L) != 1) {
        badEnds++;
      }
      String reason = reasons.getOrDefault(trainer.jobId, "");
      if (reason.equals("heartbeat_timeout") && !silenced.contains(trainer.jobId)) {
        falseTimeouts++;
      }
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT status || CASE WHEN failure_reason IS NULL THEN '' ELSE ' (' || failure_reason || ')' END,"
                        + " count(*) FROM training_jobs GROUP BY 1 ORDER BY 1")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> finalStatuses.put(e.getKey(), e.getValue())));
    return new Result(
        trainers.size(), accepted, rowCount, lost, extra, badEnds, falseTimeouts, finalStatuses);
  }
}
