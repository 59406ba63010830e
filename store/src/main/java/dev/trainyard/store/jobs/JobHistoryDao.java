package dev.trainyard.store.jobs;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** A job's events and metrics, oldest first, paged by id. */
@RegisterConstructorMapper(EventRecord.class)
@RegisterConstructorMapper(MetricRecord.class)
public interface JobHistoryDao {
  @SqlQuery(
      "SELECT id, job_id, trace_id, source, level, event_type, message, data::text AS data,"
          + " created_at FROM job_events WHERE job_id = :jobId AND id > :after ORDER BY id LIMIT :limit")
  List<EventRecord> events(
      @Bind("jobId") long jobId, @Bind("after") long after, @Bind("limit") int limit);

  /** The job's last {@code limit} events, newest first (the job_events_job_id index, backwards). */
  @SqlQuery(
      "SELECT id, job_id, trace_id, source, level, event_type, message, data::text AS data,"
          + " created_at FROM job_events WHERE job_id = :jobId ORDER BY id DESC LIMIT :limit")
  List<EventRecord> lastEvents(@Bind("jobId") long jobId, @Bind("limit") int limit);

  /**
   * The status changes the workflow recorded for the job, oldest first: at most five (a job moves
   * at most pending, queued, running, an end), so the limit only guards against a hand-edited row.
   */
  @SqlQuery(
      "SELECT id, job_id, trace_id, source, level, event_type, message, data::text AS data,"
          + " created_at FROM job_events WHERE job_id = :jobId AND source = 'trainyard'"
          + " AND event_type = 'status_changed' ORDER BY id LIMIT 20")
  List<EventRecord> statusChanges(@Bind("jobId") long jobId);

  @SqlQuery(
      "SELECT id, epoch, step, metrics::text AS metrics, created_at FROM training_metrics"
          + " WHERE job_id = :jobId AND id > :after ORDER BY id LIMIT :limit")
  List<MetricRecord> metrics(
      @Bind("jobId") long jobId, @Bind("after") long after, @Bind("limit") int limit);
}
