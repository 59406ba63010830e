package dev.trainyard.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.store.Database;
import dev.trainyard.store.jobs.JobAttemptDao;
import dev.trainyard.store.jobs.JobStatusDao;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.JobStore;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.StatusChange;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the workflow's status transitions to PostgreSQL. Each change is a compare-and-set on the
 * current status plus one {@code status_changed} event, in one transaction, so an activity retry
 * can neither apply a transition twice nor record it twice.
 *
 * <p>Attempts ({@link #attemptStarted}, {@link #attemptEnded}) are recorded the same way: one
 * transaction under the job's row lock, an activity retry changes nothing, and the orchestrator's
 * events ({@code attempt_started}, {@code attempt_failed}, source {@code trainyard}) are written
 * once. The job's streams hear of them through the database's notifications (V5, V7).
 *
 * <p>{@code onApplied} hears of each transition once, after it committed, and never of a retry that
 * found it already applied: the worker counts transitions and the timeouts that fired there
 * (workflow code must stay deterministic and replays, so it cannot count them itself). A failure in
 * the listener is logged and never fails the transition.
 */
public final class JdbiJobStore implements JobStore {
  private static final Logger log = LoggerFactory.getLogger(JdbiJobStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final Consumer<StatusChange> onApplied;

  public JdbiJobStore(Jdbi jdbi) {
    this(jdbi, change -> {});
  }

  public JdbiJobStore(Jdbi jdbi, Consumer<StatusChange> onApplied) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.onApplied = Objects.requireNonNull(onApplied, "onApplied");
    // attached to each transition's (and attempt's) handle
    Database.prepareSqlObjects(jdbi, JobStatusDao.class, JobAttemptDao.class);
  }

  @Override
  public long lastCallbackAtMillis(long jobId) {
    return jdbi.withExtension(JobStatusDao.class, dao -> dao.lastCallbackAtMillis(jobId))
        .orElse(0L);
  }

  @Override
  public void recordTransition(StatusChange change) {
    Objects.requireNonNull(change, "change");
    if (change.from() == null
        || change.to() == null
        || !change.from().canTransitionTo(change.to())) {
      throw invalid(change, "not an allowed transition");
    }
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      if (jdbi.inTransaction(handle -> apply(handle.attach(JobStatusDao.class), change, trace))) {
        notifyApplied(change);
      }
    }
  }

  @Override
  public void attemptStarted(AttemptStart start) {
    Objects.requireNonNull(start, "start");
    if (start.attempt() < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "job " + start.jobId() + ": attempt must be at least 1, was " + start.attempt(),
          FailureTypes.INVALID_TRANSITION);
    }
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      jdbi.useTransaction(
          handle -> {
            JobAttemptDao dao = handle.attach(JobAttemptDao.class);
            Optional<JobAttemptDao.LockedRow> job = dao.lockJob(start.jobId());
            if (job.isEmpty()) {
              log.warn(
                  "job {}: no such job; attempt {} not recorded", start.jobId(), start.attempt());
              return;
            }
            trace.set(start.jobId(), job.get().traceId());
            int inserted =
                dao.insertStarted(
                    start.jobId(),
                    start.attempt(),
                    at(start.atMillis()),
                    start.resumedFromUri(),
                    start.resumedFromEpoch());
            if (inserted == 0) {
              log.info("job {}: attempt {} already recorded", start.jobId(), start.attempt());
              return;
            }
            dao.makeCurrent(start.jobId(), start.attempt());
            if (start.attempt() >= 2) {
              String message = startedMessage(start);
              dao.insertEvent(
                  start.jobId(),
                  job.get().traceId(),
                  "info",
                  ATTEMPT_STARTED,
                  message,
                  json(startedData(start)));
              log.info("job {}: {}", start.jobId(), message);
            }
          });
    }
  }

  @Override
  public void attemptEnded(AttemptEnd end) {
    Objects.requireNonNull(end, "end");
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      jdbi.useTransaction(
          handle -> {
            JobAttemptDao dao = handle.attach(JobAttemptDao.class);
            Optional<JobAttemptDao.LockedRow> job = dao.lockJob(end.jobId());
            if (job.isEmpty()) {
              log.warn(
                  "job {}: no such job; end of attempt {} not recorded",
                  end.jobId(),
                  end.attempt());
              return;
            }
            trace.set(end.jobId(), job.get().traceId());
            int recorded =
                dao.insertEnded(
                    end.jobId(),
                    end.attempt(),
                    at(end.atMillis()),
                    end.cause(),
                    clip(end.message(), MAX_MESSAGE_CHARS));
            if (recorded == 0) {
              log.info("job {}: end of attempt {} already recorded", end.jobId(), end.attempt());
              return;
            }
            if (end.cause() != null && end.nextAttemptAtMillis() != null) {
              String message = failedMessage(end);
              dao.insertEvent(
                  end.jobId(),
                  job.get().traceId(),
                  "warning",
                  ATTEMPT_FAILED,
                  message,
                  json(failedData(end)));
              log.info("job {}: {}", end.jobId(), message);
            } else {
              log.info(
                  "job {}: attempt {} ended{}",
                  end.jobId(),
                  end.attempt(),
                  end.cause() == null ? "" : " (" + end.cause() + "), no retry");
            }
          });
    }
  }

  static final String ATTEMPT_STARTED = "attempt_started";
  static final String ATTEMPT_FAILED = "attempt_failed";

  /** What of an attempt's end message goes into its row and its event. */
  private static final int MAX_MESSAGE_CHARS = 2_000;

  /** "attempt 2 of 3 started, resuming from epoch 3" (or "..., starting over"). */
  static String startedMessage(AttemptStart start) {
    String of = start.maxAttempts() >= start.attempt() ? " of " + start.maxAttempts() : "";
    String from =
        start.resumedFromUri() == null
            ? "starting over (no checkpoint)"
            : start.resumedFromEpoch() == null
                ? "resuming from " + start.resumedFromUri()
                : "resuming from epoch " + start.resumedFromEpoch();
    return "attempt " + start.attempt() + of + " started, " + from;
  }

  /** "attempt 1 failed (oom_killed): …; attempt 2 in 10 s". */
  static String failedMessage(AttemptEnd end) {
    long waitSeconds =
        Math.max(0, Math.round((end.nextAttemptAtMillis() - end.atMillis()) / 1000.0));
    String why =
        end.message() == null || end.message().isBlank() ? "" : ": " + firstLine(end.message());
    return "attempt "
        + end.attempt()
        + " failed ("
        + end.cause()
        + ")"
        + why
        + "; attempt "
        + (end.attempt() + 1)
        + " in "
        + waitSeconds
        + " s";
  }

  private static Map<String, Object> startedData(AttemptStart start) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("attempt", start.attempt());
    data.put("max_attempts", start.maxAttempts());
    data.put("resumed_from_uri", start.resumedFromUri());
    data.put("resumed_from_epoch", start.resumedFromEpoch());
    return data;
  }

  private static Map<String, Object> failedData(AttemptEnd end) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("attempt", end.attempt());
    data.put("cause", end.cause());
    data.put("next_attempt", end.attempt() + 1);
    data.put("next_attempt_at", Instant.ofEpochMilli(end.nextAttemptAtMillis()).toString());
    return data;
  }

  private static String firstLine(String text) {
    String line = text.strip();
    int newline = line.indexOf('\n');
    return clip(newline < 0 ? line : line.substring(0, newline).strip(), 300);
  }

  private static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static OffsetDateTime at(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  private static String json(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode event data", e);
    }
  }

  private void notifyApplied(StatusChange change) {
    try {
      onApplied.accept(change);
    } catch (RuntimeException e) {
      log.warn("job {}: transition listener failed: {}", change.jobId(), e.toString());
    }
  }

  /** True when this call applied the transition; false for a retry of one already applied. */
  private boolean apply(JobStatusDao dao, StatusChange change, TraceMdc trace) {
    JobStatus to = change.to();
    Optional<String> traceId =
        dao.compareAndSetStatus(
            change.jobId(),
            change.from().wireName(),
            to.wireName(),
            timestampColumn(to),
            OffsetDateTime.ofInstant(Instant.ofEpochMilli(change.atMillis()), ZoneOffset.UTC),
            change.reason() == null ? null : change.reason().wireName(),
            to == JobStatus.FAILED,
            change.message(),
            change.trainerLog());
    if (traceId.isEmpty()) {
      Optional<JobStatusDao.JobRow> row = dao.find(change.jobId());
      row.ifPresent(r -> trace.set(change.jobId(), r.traceId()));
      if (row.isPresent() && row.get().status().equals(to.wireName())) {
        log.info("job {} already {}; transition retry ignored", change.jobId(), to.wireName());
        return false;
      }
      throw invalid(change, row.map(r -> "the job is " + r.status()).orElse("no such job"));
    }
    trace.set(change.jobId(), traceId.get());
    String text = change.from().wireName() + " → " + to.wireName();
    dao.insertStatusEvent(
        change.jobId(),
        traceId.get(),
        to == JobStatus.FAILED || to == JobStatus.CANCELLED ? "warning" : "info",
        change.message() == null ? text : text + ": " + change.message(),
        eventData(change));
    log.info("job {} {}", change.jobId(), text);
    return true;
  }

  private static String timestampColumn(JobStatus to) {
    switch (to) {
      case QUEUED:
        return "queued_at";
      case RUNNING:
        return "started_at";
      case SUCCEEDED:
      case FAILED:
      case CANCELLED:
        return "completed_at";
      default:
        throw new IllegalArgumentException("no timestamp for " + to);
    }
  }

  private static String eventData(StatusChange change) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("from", change.from().wireName());
    data.put("to", change.to().wireName());
    data.put("reason", change.reason() == null ? null : change.reason().wireName());
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode event data", e);
    }
  }

  private static ApplicationFailure invalid(StatusChange change, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        "job "
            + change.jobId()
            + ": cannot go from "
            + name(change.from())
            + " to "
            + name(change.to())
            + ": "
            + why,
        FailureTypes.INVALID_TRANSITION);
  }

  private static String name(JobStatus status) {
    return status == null ? "null" : status.wireName();
  }
}
