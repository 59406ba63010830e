package dev.trainyard.api.metrics;

import dev.trainyard.store.jobs.JobGaugeDao;
import dev.trainyard.workflows.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trainyard_jobs{status}} and {@code trainyard_job_oldest_age_seconds{status}}, read from
 * the job table when Prometheus scrapes, at most once per {@link #FRESH_FOR}: two Prometheus
 * replicas, or a scrape that reads every gauge of the family, cost one pair of queries, and no
 * request ever waits on them. Every API replica reports the same table, so dashboards take {@code
 * max} over instances. When the database cannot answer, the gauges read NaN rather than the last
 * figures, so a stale count can never hide a stuck queue.
 */
final class JobGauges {
  private static final Logger LOG = LoggerFactory.getLogger(JobGauges.class);
  static final Duration FRESH_FOR = Duration.ofSeconds(5);
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);
  private static final List<JobStatus> IN_FLIGHT =
      List.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING);

  private final JobGaugeDao dao;
  private final LongSupplier nanoTime;
  private final Map<JobStatus, Double> jobs = new EnumMap<>(JobStatus.class);
  private final Map<JobStatus, Double> oldest = new EnumMap<>(JobStatus.class);
  private long readAt;
  private boolean read;
  private long loggedAt;

  private JobGauges(JobGaugeDao dao, LongSupplier nanoTime) {
    this.dao = dao;
    this.nanoTime = nanoTime;
  }

  static void register(MeterRegistry registry, Jdbi jdbi) {
    JobGauges gauges = new JobGauges(jdbi.onDemand(JobGaugeDao.class), System::nanoTime);
    for (JobStatus status : JobStatus.values()) {
      Gauge.builder("trainyard.jobs", gauges, g -> g.jobs(status))
          .description("Jobs in the record by status (the same in every API replica)")
          .tag("status", status.wireName())
          .strongReference(true) // nothing else holds the gauges' object
          .register(registry);
    }
    for (JobStatus status : IN_FLIGHT) {
      Gauge.builder("trainyard.job.oldest.age", gauges, g -> g.oldest(status))
          .description("How long the oldest job in this status has been in it (0: none)")
          .baseUnit("seconds")
          .tag("status", status.wireName())
          .strongReference(true) // nothing else holds the gauges' object
          .register(registry);
    }
  }

  private synchronized double jobs(JobStatus status) {
    refreshIfStale();
    return jobs.getOrDefault(status, Double.NaN);
  }

  private synchronized double oldest(JobStatus status) {
    refreshIfStale();
    return oldest.getOrDefault(status, Double.NaN);
  }

  private void refreshIfStale() {
    long now = nanoTime.getAsLong();
    if (read && now - readAt < FRESH_FOR.toNanos()) {
      return;
    }
    read = true;
    readAt = now;
    jobs.clear();
    oldest.clear();
    try {
      for (JobStatus status : JobStatus.values()) {
        jobs.put(status, 0.0);
      }
      for (JobGaugeDao.StatusCount count : dao.countByStatus()) {
        jobs.put(JobStatus.fromWire(count.status()), (double) count.jobs());
      }
      for (JobStatus status : IN_FLIGHT) {
        oldest.put(status, 0.0);
      }
      for (JobGaugeDao.OldestJob job : dao.oldestInFlight()) {
        oldest.put(JobStatus.fromWire(job.status()), Math.max(0, job.oldestAgeSeconds()));
      }
    } catch (RuntimeException e) {
      jobs.clear();
      oldest.clear();
      if (now - loggedAt >= LOG_EVERY.toNanos() || loggedAt == 0) {
        loggedAt = now;
        LOG.warn("cannot read the job gauges (reported as NaN): {}", e.toString());
      }
    }
  }
}
