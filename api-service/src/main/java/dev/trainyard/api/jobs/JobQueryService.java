package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.errors.JobNotFoundException;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobHistoryDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.MetricRecord;
import dev.trainyard.workflows.JobStatus;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Reads the job record: one job, a page of jobs, a job's events and metrics. */
public final class JobQueryService {
  private static final String STATUSES =
      Arrays.stream(JobStatus.values()).map(JobStatus::wireName).collect(Collectors.joining(", "));
  private final JobDao jobs;
  private final JobHistoryDao history;
  private final JsonText json;

  public JobQueryService(Jdbi jdbi, JsonText json) {
    this.jobs = jdbi.onDemand(JobDao.class);
    this.history = jdbi.onDemand(JobHistoryDao.class);
    this.json = json;
  }

  public JobView get(long id) {
    return JobView.of(find(id), json);
  }

  public JobList list(String status, Long before, int limit) {
    List<JobRecord> rows = jobs.list(statusFilter(status), before, limit + 1);
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    List<JobView> page = rows.stream().limit(limit).map(job -> JobView.of(job, json)).toList();
    return new JobList(page, next);
  }

  public EventList events(long jobId, Long after, int limit) {
    find(jobId);
    List<EventRecord> rows = history.events(jobId, after == null ? 0 : after, limit + 1);
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    return new EventList(rows.stream().limit(limit).map(e -> EventView.of(e, json)).toList(), next);
  }

  public MetricList metrics(long jobId, Long after, int limit) {
    find(jobId);
    List<MetricRecord> rows = history.metrics(jobId, after == null ? 0 : after, limit + 1);
    Long next = rows.size() > limit ? rows.get(limit - 1).id() : null;
    return new MetricList(
        rows.stream().limit(limit).map(m -> MetricView.of(m, json)).toList(), next);
  }

  private JobRecord find(long id) {
    return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
  }

  private static String statusFilter(String status) {
    if (status == null || status.isEmpty()) {
      return null;
    }
    for (JobStatus known : JobStatus.values()) {
      if (known.wireName().equals(status)) {
        return status;
      }
    }
    throw InvalidRequestException.field("status", "must be one of " + STATUSES);
  }
}
