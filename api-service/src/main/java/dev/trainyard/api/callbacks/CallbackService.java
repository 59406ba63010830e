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
import dev.trainyard.workflows.messages.CheckpointSaved;
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
 * Accepts the trainer's callbacks. Each one is checked (token's job and attempt, trace id, job
 * still running), persisted and signalled to the workflow in one transaction under the job's row
 * lock: a failed signal rolls the write back and the trainer is told 503 so it retries; a rejected
 * call changes nothing. The common heartbeat (a running job's, with its trace id) first tries the
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
  private final CheckpointEvents checkpoints;

  /**
   * @param checkpointBucket the API's storage bucket, which a reported checkpoint must be in; null
   *     when the API has no storage configured (then any bucket's job checkpoint path is accepted)
   */
  public CallbackService(
      Jdbi jdbi,
      JobWorkflows workflows,
      JsonText json,
      Clock clock,
      ProgressSignalMarks signalMarks,
      HeartbeatWriter heartbeats,
      String checkpointBucket) {
    this.jdbi = jdbi;
    this.checkpoints = new CheckpointEvents(checkpointBucket);
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
      Optional<CallbackReply> committed = groupCommit(caller, body, metricsJson);
      if (committed.isPresent()) {
        return committed.get();
      }
    }
    return inJob(
        caller,
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
   * the job is running and the trace id and the token's attempt match. Empty when it did not apply,
   * having changed nothing; {@link #heartbeat} then decides.
   */
  public Optional<CallbackReply> tryGroupCommit(CallbackPrincipal caller, HeartbeatRequest body) {
    return groupCommit(caller, body, metricsJson(body));
  }

  private Optional<CallbackReply> groupCommit(
      CallbackPrincipal caller, HeartbeatRequest body, String metricsJson) {
    return heartbeats
        .write(
            new HeartbeatBatch.Row(
                caller.jobId(),
                body.traceId(),
                body.epoch(),
                body.step(),
                body.progress(),
                metricsJson,
                caller.attempt()))
        .map(cancelRequested -> CallbackReply.heartbeat(!cancelRequested));
  }

  private String metricsJson(HeartbeatRequest body) {
    return body.metrics() == null || body.metrics().isEmpty() ? null : json.write(body.metrics());
  }

  public CallbackReply event(CallbackPrincipal caller, long jobId, EventRequest body) {
    checkCaller(caller, jobId);
    CallbackValidator.event(body);
    return inJob(
        caller,
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
          Optional<CheckpointSaved> checkpoint =
              checkpoints.of(job, body.eventType(), body.data(), clock.millis());
          if (checkpoint.isPresent()) {
            workflows.trainerCheckpoint(jobId, checkpoint.get());
          }
          return CallbackReply.ok();
        });
  }

  public CallbackReply done(CallbackPrincipal caller, long jobId, DoneRequest body) {
    checkCaller(caller, jobId);
    CallbackValidator.done(body);
    return inJob(
        caller,
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
              jobId,
              new TrainerDone(body.succeeded(), errorMessage, clock.millis(), job.attempt()));
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
    workflows.trainerCallback(
        job.id(), new TrainerCallback(kind, clock.millis(), epoch, progress, job.attempt()));
  }

  private interface JobWork {
    CallbackReply apply(JobWriteDao dao, LockedJob job);
  }

  /**
   * Locks the job's row, checks the trace id and that the caller's token is of the job's current
   * attempt (a trainer of an earlier attempt that still runs must not write into this one), runs
   * the work; all or nothing.
   */
  private CallbackReply inJob(CallbackPrincipal caller, String traceId, JobWork work) {
    long jobId = caller.jobId();
    try (TraceMdc ignored = TraceMdc.of(jobId, traceId)) {
      return jdbi.inTransaction(
          TransactionIsolationLevel.READ_COMMITTED,
          handle -> {
            JobWriteDao dao = handle.attach(JobWriteDao.class);
            LockedJob job = dao.lock(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            if (!job.traceId().equals(traceId)) {
              throw new InvalidRequestException("Trace ID mismatch");
            }
            if (caller.attempt() != job.attempt()) {
              throw new ConflictException(
                  "callback from attempt "
                      + caller.attempt()
                      + ", but job "
                      + jobId
                      + " is on attempt "
                      + job.attempt());
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
