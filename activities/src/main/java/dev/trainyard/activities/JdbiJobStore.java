package dev.trainyard.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.store.Database;
import dev.trainyard.store.jobs.JobStatusDao;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.JobStore;
import dev.trainyard.workflows.logging.TraceMdc;
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
    Database.prepareSqlObjects(jdbi, JobStatusDao.class); // attached to each transition's handle
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
