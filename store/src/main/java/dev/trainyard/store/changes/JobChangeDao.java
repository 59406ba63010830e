package dev.trainyard.store.changes;

import dev.trainyard.store.jobs.EventRecord;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.store.jobs.JobRecordMapper;
import dev.trainyard.store.jobs.MetricRecord;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * What the live streams read after a change announcement: many jobs' rows, events and metrics in
 * one statement each, whatever the number of jobs or clients.
 */
@RegisterRowMapper(JobRecordMapper.class)
@RegisterConstructorMapper(EventRecord.class)
public interface JobChangeDao {
  /** Highest event and metric id of a job (0 when none), where a new watch starts. */
  record HighWater(long eventId, long metricId) {}

  @SqlQuery("SELECT " + JobDao.COLUMNS + " FROM training_jobs WHERE id = ANY(:ids)")
  List<JobRecord> jobs(@Bind("ids") long[] ids);

  /** Each job's events after its own cursor, oldest first per job, at most {@code limit} each. */
  @SqlQuery(
      "SELECT e.id, e.job_id, e.trace_id, e.source, e.level, e.event_type, e.message,"
          + " e.data::text AS data, e.created_at"
          + " FROM unnest(:jobIds, :afters) AS c(job_id, after)"
          + " CROSS JOIN LATERAL (SELECT * FROM job_events x WHERE x.job_id = c.job_id"
          + "   AND x.id > c.after ORDER BY x.id LIMIT :limit) e"
          + " ORDER BY e.job_id, e.id")
  List<EventRecord> eventsAfter(
      @Bind("jobIds") long[] jobIds, @Bind("afters") long[] afters, @Bind("limit") int limit);

  /** Each job's metrics after its own cursor, oldest first per job, at most {@code limit} each. */
  @SqlQuery(
      "SELECT m.job_id, m.id, m.epoch, m.step, m.metrics::text AS metrics, m.created_at"
          + " FROM unnest(:jobIds, :afters) AS c(job_id, after)"
          + " CROSS JOIN LATERAL (SELECT * FROM training_metrics x WHERE x.job_id = c.job_id"
          + "   AND x.id > c.after ORDER BY x.id LIMIT :limit) m"
          + " ORDER BY m.job_id, m.id")
  @RegisterConstructorMapper(MetricRow.class)
  List<MetricRow> metricsAfter(
      @Bind("jobIds") long[] jobIds, @Bind("afters") long[] afters, @Bind("limit") int limit);

  /** A metrics row with its job id, as {@link #metricsAfter} reads it. */
  record MetricRow(long jobId, long id, int epoch, int step, String metrics, Instant createdAt) {
    public JobMetricRecord record() {
      return new JobMetricRecord(jobId, new MetricRecord(id, epoch, step, metrics, createdAt));
    }
  }

  @SqlQuery(
      "SELECT (SELECT COALESCE(max(id), 0) FROM job_events WHERE job_id = :id) AS event_id,"
          + " (SELECT COALESCE(max(id), 0) FROM training_metrics WHERE job_id = :id) AS metric_id")
  @RegisterConstructorMapper(HighWater.class)
  HighWater highWater(@Bind("id") long jobId);

  /**
   * Jobs changed since a moment, oldest change first, optionally of one project: what a list stream
   * missed while its client was away.
   */
  @SqlQuery(
      "SELECT "
          + JobDao.COLUMNS
          + " FROM training_jobs WHERE updated_at > :since"
          + " AND (CAST(:project AS text) IS NULL OR project_id = :project)"
          + " ORDER BY updated_at LIMIT :limit")
  List<JobRecord> changedSince(
      @Bind("since") Instant since, @Bind("project") String project, @Bind("limit") int limit);
}
