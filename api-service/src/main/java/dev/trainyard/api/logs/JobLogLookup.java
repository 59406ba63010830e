package dev.trainyard.api.logs;

import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.store.jobs.TrainerLogDao;
import dev.trainyard.workflows.JobStatus;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a job's trainer log is ({@code training_jobs.trainer_log}) and whether the job has ended.
 */
final class JobLogLookup {
  record JobLog(long jobId, String traceId, String trainerLog, boolean terminal) {}

  private final TrainerLogDao logs;

  JobLogLookup(Jdbi jdbi) {
    this.logs = jdbi.onDemand(TrainerLogDao.class);
  }

  JobLog find(long jobId) {
    return logs.find(jobId)
        .map(
            row ->
                new JobLog(
                    jobId,
                    row.traceId(),
                    row.trainerLog(),
                    JobStatus.fromWire(row.status()).isTerminal()))
        .orElseThrow(() -> new JobNotFoundException(jobId));
  }

  boolean isTerminal(long jobId) {
    return find(jobId).terminal();
  }
}
