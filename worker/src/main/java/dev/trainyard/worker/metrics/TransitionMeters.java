package dev.trainyard.worker.metrics;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.messages.StatusChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code trainyard_job_transitions_total{to,reason}} and {@code
 * trainyard_job_timeouts_total{reason}}, counted when the job store has applied a transition
 * (JdbiJobStore's listener). The workflow decides every transition and fires every timeout, but
 * workflow code is replayed and must stay deterministic, so a counter there would count each replay
 * again (and Temporal's workflow metrics scope would only hide that); the store's compare-and-set
 * applies each transition exactly once, retries of its activity included, which makes its commit
 * the one place a transition is counted once. A worker that dies between the commit and the count
 * loses that one count, as any process loses its counters.
 */
public final class TransitionMeters implements Consumer<StatusChange> {
  /** The reasons that are a timer of the workflow's firing. */
  static final List<FailureReason> TIMEOUTS =
      List.of(
          FailureReason.STARTUP_TIMEOUT,
          FailureReason.HEARTBEAT_TIMEOUT,
          FailureReason.DEADLINE_EXCEEDED,
          FailureReason.CANCEL_FORCED);

  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final Map<FailureReason, Counter> timeouts = new EnumMap<>(FailureReason.class);

  public TransitionMeters(MeterRegistry registry) {
    this.registry = registry;
    for (FailureReason reason : TIMEOUTS) {
      timeouts.put(
          reason,
          Counter.builder("trainyard.job.timeouts")
              .description("Timeouts that ended a job, by reason (cancel_forced: the cancel grace)")
              .tag("reason", reason.wireName())
              .register(registry));
    }
    // every transition the workflow makes, so each series exists before its first job
    transition(JobStatus.QUEUED, null);
    transition(JobStatus.RUNNING, null);
    transition(JobStatus.SUCCEEDED, null);
    for (FailureReason reason : FailureReason.values()) {
      boolean cancel =
          reason == FailureReason.CANCELLED_BY_USER
              || reason == FailureReason.CANCEL_FORCED
              || reason == FailureReason.WORKFLOW_CANCELLED;
      transition(cancel ? JobStatus.CANCELLED : JobStatus.FAILED, reason);
    }
  }

  @Override
  public void accept(StatusChange change) {
    transition(change.to(), change.reason()).increment();
    Counter timeout = change.reason() == null ? null : timeouts.get(change.reason());
    if (timeout != null) {
      timeout.increment();
    }
  }

  /** Not a hot path (one call per transition): the registry's own lookup is cheap enough. */
  private Counter transition(JobStatus to, FailureReason reason) {
    return Counter.builder("trainyard.job.transitions")
        .description("Job status transitions the workflow made, by target status and reason")
        .tag("to", to.wireName())
        .tag("reason", reason == null ? NONE : reason.wireName())
        .register(registry);
  }
}
