package dev.trainyard.api.jobs;

import dev.trainyard.api.access.AuditTrail;
import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.errors.TemporalUnavailableException;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a job: records the pending row, then starts its workflow. The row is committed before the
 * start so the workflow's first activity always finds it; if Temporal cannot be reached the row is
 * deleted again, so a failed submit leaves nothing behind.
 */
public final class JobSubmissionService {
  static final int MAX_IDEMPOTENCY_KEY = 128;
  private static final Logger LOG = LoggerFactory.getLogger(JobSubmissionService.class);
  private final Jdbi jdbi;
  private final JobWorkflows workflows;
  private final JsonText json;
  private final RegisteredFrameworks frameworks;

  private final ProjectAccess access;
  private final AuditTrail audit;
  private final int defaultMaxAttempts;

  /**
   * @param defaultMaxAttempts a job's attempts when its submit names none (the server's {@code
   *     retry.defaultMaxAttempts})
   */
  public JobSubmissionService(
      Jdbi jdbi,
      JobWorkflows workflows,
      JsonText json,
      ProjectAccess access,
      AuditTrail audit,
      int defaultMaxAttempts) {
    this.defaultMaxAttempts = defaultMaxAttempts;
    this.access = access;
    this.audit = audit;
    this.jdbi = jdbi;
    this.workflows = workflows;
    this.json = json;
    this.frameworks = RegisteredFrameworks.on(jdbi);
  }

  public SubmittedJob submit(
      UserPrincipal caller, SubmitJobRequest request, String idempotencyKey) {
    SubmittedSpec spec = SubmitJobValidator.validate(request, frameworks, defaultMaxAttempts);
    checkKey(idempotencyKey);
    // Only existence, not the dataset: a wrong dataset_id fails in the trainer, as the seed's
    // Phase 7 scenario expects (done with status failed), not here.
    access.requireProject(caller, spec.projectId());
    JobDao jobs = jdbi.onDemand(JobDao.class);
    JobSpec job = new JobSpec(jobs.nextId(), UUID.randomUUID().toString(), spec);
    String workflowId = TaskQueues.workflowId(job.jobId());
    if (jobs.insert(
            job,
            idempotencyKey,
            workflowId,
            json.write(spec.hyperparameters()),
            json.write(spec.retryPolicy()),
            caller.keyId())
        == 0) {
      return replay(jobs, idempotencyKey, spec);
    }
    try (TraceMdc ignored = TraceMdc.of(job.jobId(), job.traceId())) {
      try {
        workflows.start(job);
      } catch (TemporalUnavailableException e) {
        jobs.deleteUnstarted(job.jobId());
        throw e;
      }
      audit.record(caller, "job.submit", spec.projectId(), "job-" + job.jobId(), Map.of());
      LOG.info(
          "job {} submitted by key {}: {} on {}",
          job.jobId(),
          caller.keyId(),
          spec.modelName(),
          spec.datasetId());
    }
    return new SubmittedJob(
        job.jobId(), job.traceId(), JobStatus.PENDING.wireName(), workflowId, true);
  }

  /** Same key again: the same job if the body matches, else a conflict. */
  private SubmittedJob replay(JobDao jobs, String key, SubmittedSpec spec) {
    JobRecord existing =
        jobs.findByIdempotencyKey(spec.projectId(), key)
            .orElseThrow(
                () ->
                    new ConflictException(
                        "a request with this Idempotency-Key is in progress; retry"));
    if (!sameSubmission(existing.spec(), spec)) {
      throw new ConflictException("Idempotency-Key was already used for a different request");
    }
    if (JobStatus.PENDING.wireName().equals(existing.status())) {
      // the first attempt may have died between insert and start; starting again is harmless
      workflows.start(new JobSpec(existing.id(), existing.traceId(), spec));
    }
    return new SubmittedJob(
        existing.id(), existing.traceId(), existing.status(), existing.workflowId(), false);
  }

  /**
   * The stored hyperparameters are what PostgreSQL kept of the first request's: compared as JSON
   * documents, the rest of the spec as values.
   */
  private boolean sameSubmission(SubmittedSpec stored, SubmittedSpec submitted) {
    return stored.withHyperparameters(Map.of()).equals(submitted.withHyperparameters(Map.of()))
        && Objects.equals(
            json.normalized(stored.hyperparameters()),
            json.normalized(submitted.hyperparameters()));
  }

  private static void checkKey(String key) {
    if (key == null) {
      return;
    }
    if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY || key.indexOf('\0') >= 0) {
      throw InvalidRequestException.field(
          "Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
    }
  }
}
