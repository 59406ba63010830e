package dev.trainyard.api.jobs;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobAttemptDao;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobHistoryDao;
import dev.trainyard.store.jobs.JobListQuery;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.MetricRecord;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Reads the job record: one job, a page of jobs, a job's events and metrics. */
public final class JobQueryService {
  private final JobDao jobs;
  private final JobHistoryDao history;
  private final JobAttemptDao attempts;
  private final JsonText json;
  private final ProjectAccess access;

  public JobQueryService(Jdbi jdbi, JsonText json, ProjectAccess access) {
    this.access = access;
    this.jobs = jdbi.onDemand(JobDao.class);
    this.history = jdbi.onDemand(JobHistoryDao.class);
    this.attempts = jdbi.onDemand(JobAttemptDao.class);
    this.json = json;
  }

  public JobView get(UserPrincipal caller, long id) {
    JobRecord job = find(id);
    ProjectAccess.requireVisible(caller, job.spec().projectId(), id);
    return JobView.of(job, json, attempts.list(id));
  }

  /**
   * @param filter its project: a project key sees its own project whatever it asks for, and one it
   *     cannot see is an empty list, as for a project without jobs
   */
  public JobList list(UserPrincipal caller, JobFilter filter, Long before, int limit) {
    String project = filter.project() == null ? caller.project() : filter.project();
    if (!caller.canSee(project)) {
      return new JobList(List.of(), null);
    }
    List<JobRecord> rows =
        jobs.list(
            new JobListQuery(
                filter.status(),
                project,
                filter.model(),
                filter.queryJobId(),
                filter.tracePrefix(),
                before,
                limit + 1));
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    List<JobView> page = rows.stream().limit(limit).map(job -> JobView.of(job, json)).toList();
    return new JobList(page, next);
  }

  public EventList events(UserPrincipal caller, long jobId, Long after, int limit) {
    access.requireJob(caller, jobId);
    List<EventRecord> rows = history.events(jobId, after == null ? 0 : after, limit + 1);
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    return new EventList(rows.stream().limit(limit).map(e -> EventView.of(e, json)).toList(), next);
  }

  public MetricList metrics(UserPrincipal caller, long jobId, Long after, int limit) {
    access.requireJob(caller, jobId);
    List<MetricRecord> rows = history.metrics(jobId, after == null ? 0 : after, limit + 1);
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    return new MetricList(
        rows.stream().limit(limit).map(m -> MetricView.of(m, json)).toList(), next);
  }

  private JobRecord find(long id) {
    return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
  }
}
