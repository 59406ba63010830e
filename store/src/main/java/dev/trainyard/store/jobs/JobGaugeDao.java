package dev.trainyard.store.jobs;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.QueryTimeOut;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * What the API's {@code /metrics} reports about the job table as a whole: jobs per status and how
 * long the oldest job has waited in each status that is not final (an alert on jobs stuck in {@code
 * queued} reads it). Read at scrape time, never on a request's path; the counts are an index-only
 * scan of {@code training_jobs_status_id}, the ages read only the jobs still in flight.
 */
public interface JobGaugeDao {
  /** Seconds; a scrape must not hang on a database that does not answer. */
  int TIMEOUT_SECONDS = 2;

  record StatusCount(String status, long jobs) {}

  /** {@code oldestAgeSeconds}: since the job entered {@code status}, by the database's clock. */
  record OldestJob(String status, double oldestAgeSeconds) {}

  @QueryTimeOut(TIMEOUT_SECONDS)
  @SqlQuery("SELECT status, count(*) AS jobs FROM training_jobs GROUP BY status")
  @RegisterConstructorMapper(StatusCount.class)
  List<StatusCount> countByStatus();

  /** Only statuses that have a job; each measured from the column its transition stamps. */
  @QueryTimeOut(TIMEOUT_SECONDS)
  @SqlQuery(
      "SELECT status, EXTRACT(EPOCH FROM now() - min(CASE status"
          + "   WHEN 'pending' THEN created_at"
          + "   WHEN 'queued' THEN queued_at"
          + "   ELSE started_at END))::double precision AS oldest_age_seconds"
          + " FROM training_jobs WHERE status IN ('pending', 'queued', 'running')"
          + " GROUP BY status")
  @RegisterConstructorMapper(OldestJob.class)
  List<OldestJob> oldestInFlight();
}
