package dev.trainyard.api.callbacks;

import dev.trainyard.api.auth.CallbackPrincipal;
import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.errors.InvalidTokenException;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.store.Database;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.HeartbeatBatch;
import dev.trainyard.store.jobs.JobWriteDao;
import dev.trainyard.store.jobs.LockedJob;
import dev.trainyard.store.jobs.ProgressSignalMarks;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the trainer's callbacks. Each one is checked (token's job, trace id, job still running),
 * persisted and signalled to the workflow in one transaction under the job's row lock: a failed
 * signal rolls the write back and the trainer is told 503 so it retries; a rejected call changes
 * nothing. The common heartbeat (a running job's, with its trace id) first tries the
 * group-committed {@link HeartbeatWriter}, which writes the same rows and leaves a due progress
 * signal to {@link ProgressSignals}, after the reply; whatever it does not apply comes here.
 */
public final class CallbackService {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackService.class);
  private final Jdbi jdbi;
  private final JobWorkflows workflows;
  private final JsonText json;
  private final Clock clock;
  private final ProgressSignalMarks signalMarks;
  private final HeartbeatWriter heartbeats;

  public CallbackService(
      Jdbi jdbi,
      JobWorkflows workflows,
      JsonText json,
      Clock clock,
      ProgressSignalMarks signalMarks,
      HeartbeatWriter heartbeats) {
    this.jdbi = jdbi;
    this.heartbeats = heartbeats;
    this.workflows = workflows;
    this.json = json;
    this.clock = clock;
    this.signalMarks = signalMarks;
    Database.prepareSqlObjects(jdbi, JobWriteDao.class); // attached to each callback's own handle
  }

  /**
   * {@code groupCommitTried}: the fast path already offered this heartbeat to the group commit,
   * which did not apply it; offering it again would only repeat that.
   */
  public CallbackReply heartbeat(
      CallbackPrincipal caller, long jobId, HeartbeatRequest body, boolean groupCommitTried) {
    checkCaller(caller, jobId);
    CallbackValidator.heartbeat(body);
    String metricsJson = metricsJson(body);
    if (!groupCommitTried) {
      Optional<CallbackReply> committed = groupCommit(jobId, body, metricsJson);
      if (committed.isPresent()) {
        return committed.get();
      }
    }
    return inJob(
        jobId,
        body.traceId(),
        (dao, job) -> {
          requireRunning(job);
          boolean signalDue =
              dao.recordHeartbeat(
                  jobId, body.epoch(), body.progress(), signalMarks.signalDueBefore());
          if (metricsJson != null) {
            dao.insertMetrics(jobId, orZero(body.epoch()), orZero(body.step()), metricsJson);
          }
          if (signalDue) {
            signal(job, TrainerCallback.Kind.HEARTBEAT, body.epoch(), body.progress());
          }
          return CallbackReply.heartbeat(job.cancelRequestedAt() == null);
        });
  }

  /**
   * The common case of a valid heartbeat from its own job's token: written by the group commit when
   * the job is running and the trace id matches. Empty when it did not apply, having changed
   * nothing; {@link #heartbeat} then decides.
   */
  public Optional<CallbackReply> tryGroupCommit(long jobId, HeartbeatRequest body) {
    return groupCommit(jobId, body, metricsJson(body));
  }

  private Optional<CallbackReply> groupCommit(
      long jobId, HeartbeatRequest body, String metricsJson) {
    return heartbeats
        .write(
            new HeartbeatBatch.Row(
                jobId, body.traceId(), body.epoch(), body.step(), body.progress(), metricsJson))
        .map(cancelRequested -> CallbackReply.heartbeat(!cancelRequested));
  }

  private String metricsJson(HeartbeatRequest body) {
    return body.metrics() == null || body.metrics().isEmpty() ? null : json.write(body.metrics());
  }

  public CallbackReply event(CallbackPrincipal caller, long jobId, EventRequest body) {
    checkCaller(caller, jobId);
    CallbackValidator.event(body);
    return inJob(
        jobId,
        body.traceId(),
        (dao, job) -> {
          requireRunning(job);
          dao.insertTrainerEvent(
              jobId,
              job.traceId(),
              body.level(),
              body.eventType(),
              body.message(),
              json.write(body.data()));
          if (dao.recordCallback(jobId, signalMarks.signalDueBefore())) {
            signal(job, TrainerCallback.Kind.EVENT, null, null);
          }
          return CallbackReply.ok();
        });
  }

  public CallbackReply done(CallbackPrincipal caller, long jobId, DoneRequest body) {
    checkCaller(caller, jobId);
    CallbackValidator.done(body);
    return inJob(
        jobId,
        body.traceId(),
        (dao, job) -> {
          if (job.doneReport() != null) {
            if (Objects.equals(json.read(job.doneReport()), json.normalized(body))) {
              return CallbackReply.ok(); // the trainer retried a done we already have
            }
            throw new ConflictException("job " + jobId + " already reported a different done");
          }
          requireRunning(job);
          String errorMessage = TrainerErrorMessage.of(body.error());
          Map<String, Object> finalMetrics =
              body.finalMetrics() == null ? Map.of() : body.finalMetrics();
          dao.recordDone(
              jobId,
              json.write(body),
              json.write(body.artifacts() == null ? Map.of() : body.artifacts()),
              json.write(finalMetrics),
              body.mlflowRunId(),
              body.trainingTimeSeconds(),
              errorMessage);
          if (!finalMetrics.isEmpty()) {
            dao.insertMetrics(jobId, -1, 0, json.write(finalMetrics));
          }
          workflows.trainerDone(
              jobId, new TrainerDone(body.succeeded(), errorMessage, clock.millis()));
          LOG.info("job {}: trainer reported {}", jobId, body.status());
          return CallbackReply.ok();
        });
  }

  /**
   * Sent only when the write that recorded the callback found the signal due and marked it ({@link
   * ProgressSignalMarks}): one engine signal per callback would cap the callback rate at the
   * engine's signal rate and fill the workflow's history. If the signal fails, the transaction and
   * its mark roll back.
   */
  private void signal(LockedJob job, TrainerCallback.Kind kind, Integer epoch, Double progress) {
    workflows.trainerCallback(job.id(), new TrainerCallback(kind, clock.millis(), epoch, progress));
  }

  private interface JobWork {
    CallbackReply apply(JobWriteDao dao, LockedJob job);
  }

  /** Locks the job's row, checks the trace id, runs the work; all or nothing. */
  private CallbackReply inJob(long jobId, String traceId, JobWork work) {
    try (TraceMdc ignored = TraceMdc.of(jobId, traceId)) {
      return jdbi.inTransaction(
          TransactionIsolationLevel.READ_COMMITTED,
          handle -> {
            JobWriteDao dao = handle.attach(JobWriteDao.class);
            LockedJob job = dao.lock(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            if (!job.traceId().equals(traceId)) {
              throw new InvalidRequestException("Trace ID mismatch");
            }
            return work.apply(dao, job);
          });
    }
  }

  private static void checkCaller(CallbackPrincipal caller, long jobId) {
    if (caller.jobId() != jobId) {
      throw new InvalidTokenException("Token job_id mismatch");
    }
  }

  private static void requireRunning(LockedJob job) {
    if (job.isTerminal()) {
      throw new ConflictException("job " + job.id() + " has already ended (" + job.status() + ")");
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
