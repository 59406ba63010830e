package dev.trainyard.api.logs;

import dev.trainyard.api.errors.JobNotFoundException;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a job's trainer log is ({@code training_jobs.trainer_log}) and whether the job has ended.
 */
final class JobLogLookup {
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  record JobLog(long jobId, String traceId, String trainerLog, boolean terminal) {}

  private final Jdbi jdbi;

  JobLogLookup(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  JobLog find(long jobId) {
    return jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT trace_id, trainer_log, status FROM training_jobs WHERE id = :id")
                    .bind("id", jobId)
                    .map(
                        (rs, ctx) ->
                            new JobLog(
                                jobId,
                                rs.getString("trace_id"),
                                rs.getString("trainer_log"),
                                TERMINAL.contains(rs.getString("status"))))
                    .findOne())
        .orElseThrow(() -> new JobNotFoundException(jobId));
  }

  boolean isTerminal(long jobId) {
    return find(jobId).terminal();
  }
}
