package dev.trainyard.api.explain;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.api.jobs.EventView;
import dev.trainyard.api.temporal.WorkflowInspector;
import dev.trainyard.api.temporal.WorkflowSnapshot;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobAttemptDao;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobHistoryDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.JobStatusDao;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a job's {@link Explanation}: the record and its history from PostgreSQL, then what
 * Temporal says (the workflow's pending activities and its state query). Temporal's part is
 * optional: when it cannot be asked, the answer says so and tells the rest from the database.
 */
public final class ExplainService {
  private final JobDao jobs;
  private final JobHistoryDao history;
  private final JobAttemptDao attempts;
  private final JobStatusDao liveness;
  private final JsonText json;
  private final WorkflowInspector workflows;
  private final ExplainLogLines logs;
  private final ExplainLinks links;
  private final Clock clock;

  ExplainService(
      Jdbi jdbi,
      JsonText json,
      WorkflowInspector workflows,
      ExplainLogLines logs,
      ExplainLinks links,
      Clock clock) {
    this.jobs = jdbi.onDemand(JobDao.class);
    this.history = jdbi.onDemand(JobHistoryDao.class);
    this.attempts = jdbi.onDemand(JobAttemptDao.class);
    this.liveness = jdbi.onDemand(JobStatusDao.class);
    this.json = json;
    this.workflows = workflows;
    this.logs = logs;
    this.links = links;
    this.clock = clock;
  }

  public Explanation explain(UserPrincipal caller, long jobId, int events, int logLines) {
    JobRecord job = jobs.findById(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
    ProjectAccess.requireVisible(caller, job.spec().projectId(), jobId);
    long lastCallback = liveness.lastCallbackAtMillis(jobId).orElse(0L);
    List<EventRecord> changes = history.statusChanges(jobId);
    List<EventRecord> recent = new ArrayList<>(history.lastEvents(jobId, events));
    Collections.reverse(recent);
    ExplainLogLines.Lines log = logs.lastLines(job, logLines);
    WorkflowSnapshot workflow = workflows.inspect(jobId);
    Instant now = clock.instant();
    return new Explanation(
        job.id(),
        job.traceId(),
        job.workflowId(),
        job.spec().projectId(),
        job.status(),
        job.failureReason(),
        job.errorMessage(),
        Summary.of(job, lastCallback, now),
        FailureReasons.explain(job.failureReason(), job.errorMessage(), job.spec().timeouts()),
        StatusTimeline.of(job, changes, json, now),
        Awaited.of(job, lastCallback, workflow, now),
        temporal(workflow),
        recent.stream().map(e -> EventView.of(e, json)).toList(),
        new Explanation.Log(log.lines(), log.note()),
        links.of(job),
        AttemptWords.of(job, attempts.list(jobId), workflow.state(), now));
  }

  private static Explanation.Temporal temporal(WorkflowSnapshot workflow) {
    String problem = workflow.problem() != null ? workflow.problem() : workflow.stateProblem();
    return new Explanation.Temporal(
        workflow.reachable(),
        problem,
        workflow.status(),
        workflow.runId(),
        workflow.historyLength(),
        workflow.state() == null ? null : workflow.state().runsCompleted(),
        workflow.pendingActivities().stream().map(ActivityWords::of).toList());
  }
}
