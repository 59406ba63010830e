package dev.trainyard.api.jobs;

import dev.trainyard.api.db.JobDao;
import dev.trainyard.api.db.JobRecord;
import dev.trainyard.api.db.JsonText;
import dev.trainyard.api.db.NewJob;
import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.errors.TemporalUnavailableException;
import dev.trainyard.api.logging.TraceMdc;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
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

  public JobSubmissionService(Jdbi jdbi, JobWorkflows workflows, JsonText json) {
    this.jdbi = jdbi;
    this.workflows = workflows;
    this.json = json;
    this.frameworks = RegisteredFrameworks.on(jdbi);
  }

  public SubmittedJob submit(SubmitJobRequest request, String idempotencyKey) {
    JobDraft draft = SubmitJobValidator.validate(request, frameworks);
    checkKey(idempotencyKey);
    JobDao jobs = jdbi.onDemand(JobDao.class);
    long id = jobs.nextId();
    NewJob row = newRow(id, idempotencyKey, draft);
    if (jobs.insert(row) == 0) {
      return replay(jobs, idempotencyKey, draft);
    }
    try (TraceMdc ignored = TraceMdc.of(row.traceId())) {
      try {
        workflows.start(spec(id, row.traceId(), draft));
      } catch (TemporalUnavailableException e) {
        jobs.deleteUnstarted(id);
        throw e;
      }
      LOG.info("job {} submitted: {} on {}", id, draft.modelName(), draft.datasetId());
    }
    return new SubmittedJob(
        id, row.traceId(), JobStatus.PENDING.wireName(), row.workflowId(), true);
  }

  /** Same key again: the same job if the body matches, else a conflict. */
  private SubmittedJob replay(JobDao jobs, String key, JobDraft draft) {
    JobRecord existing =
        jobs.findByIdempotencyKey(key)
            .orElseThrow(
                () ->
                    new ConflictException(
                        "a request with this Idempotency-Key is in progress; retry"));
    if (!sameSubmission(existing, draft)) {
      throw new ConflictException("Idempotency-Key was already used for a different request");
    }
    if (JobStatus.PENDING.wireName().equals(existing.status())) {
      // the first attempt may have died between insert and start; starting again is harmless
      workflows.start(spec(existing.id(), existing.traceId(), draft));
    }
    return new SubmittedJob(
        existing.id(), existing.traceId(), existing.status(), existing.workflowId(), false);
  }

  private boolean sameSubmission(JobRecord job, JobDraft draft) {
    JobTimeouts t = draft.timeouts();
    return job.framework().equals(draft.framework())
        && job.modelName().equals(draft.modelName())
        && job.datasetId().equals(draft.datasetId())
        && job.epochs() == draft.epochs()
        && job.batchSize() == draft.batchSize()
        && Double.compare(job.learningRate(), draft.learningRate()) == 0
        && job.projectId().equals(draft.projectId())
        && Objects.equals(
            json.read(job.hyperparameters()), json.normalized(draft.hyperparameters()))
        && job.heartbeatTimeoutSeconds() == t.heartbeatTimeoutSeconds()
        && job.startupTimeoutSeconds() == t.startupTimeoutSeconds()
        && job.maxRuntimeSeconds() == t.maxRuntimeSeconds()
        && job.cancelGraceSeconds() == t.cancelGraceSeconds();
  }

  private NewJob newRow(long id, String key, JobDraft draft) {
    JobTimeouts t = draft.timeouts();
    return new NewJob(
        id,
        UUID.randomUUID().toString(),
        key,
        TaskQueues.workflowId(id),
        draft.framework(),
        draft.modelName(),
        draft.datasetId(),
        draft.epochs(),
        draft.batchSize(),
        draft.learningRate(),
        draft.projectId(),
        json.write(draft.hyperparameters()),
        t.heartbeatTimeoutSeconds(),
        t.startupTimeoutSeconds(),
        t.maxRuntimeSeconds(),
        t.cancelGraceSeconds());
  }

  private static JobSpec spec(long id, String traceId, JobDraft draft) {
    return new JobSpec(
        id,
        traceId,
        draft.framework(),
        draft.modelName(),
        draft.datasetId(),
        draft.epochs(),
        draft.batchSize(),
        draft.learningRate(),
        draft.projectId(),
        draft.hyperparameters(),
        draft.timeouts());
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
