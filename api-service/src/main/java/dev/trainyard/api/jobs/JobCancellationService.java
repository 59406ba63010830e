package dev.trainyard.api.jobs;

import dev.trainyard.api.access.AuditTrail;
import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.store.Database;
import dev.trainyard.store.jobs.JobWriteDao;
import dev.trainyard.store.jobs.LockedJob;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.CancelRequest;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a job to stop. The request is recorded (the next heartbeat then answers
 * should_continue=false) and signalled in one transaction: if the signal fails nothing is recorded.
 * A repeated cancel answers the first request's time and signals nothing new.
 */
public final class JobCancellationService {
  private static final Logger LOG = LoggerFactory.getLogger(JobCancellationService.class);
  private final Jdbi jdbi;
  private final JobWorkflows workflows;

  private final AuditTrail audit;

  public JobCancellationService(Jdbi jdbi, JobWorkflows workflows, AuditTrail audit) {
    this.jdbi = jdbi;
    this.audit = audit;
    this.workflows = workflows;
    Database.prepareSqlObjects(jdbi, JobWriteDao.class); // attached to each cancel's own handle
  }

  public CancelReply cancel(UserPrincipal caller, long jobId) {
    return jdbi.inTransaction(
        handle -> {
          JobWriteDao dao = handle.attach(JobWriteDao.class);
          LockedJob job = dao.lock(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
          ProjectAccess.requireVisible(caller, job.projectId(), jobId);
          try (TraceMdc ignored = TraceMdc.of(jobId, job.traceId())) {
            if (job.isTerminal()) {
              throw new ConflictException(
                  "job " + jobId + " has already ended (" + job.status() + ")");
            }
            Instant requestedAt = job.cancelRequestedAt();
            if (requestedAt == null) {
              requestedAt = dao.requestCancel(jobId, caller.keyId()).orElseThrow();
              workflows.cancel(
                  jobId,
                  new CancelRequest("requested by " + caller.keyId(), requestedAt.toEpochMilli()));
              audit.record(caller, "job.cancel", job.projectId(), "job-" + jobId, Map.of());
              LOG.info("job {}: cancel requested by key {}", jobId, caller.keyId());
            }
            return new CancelReply(jobId, job.status(), JobView.iso(requestedAt));
          }
        });
  }
}
