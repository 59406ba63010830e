package dev.trainyard.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.changes.JobChangeListener;
import dev.trainyard.store.changes.JobChanges;
import dev.trainyard.workflows.messages.JobSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration V5's triggers, heard through {@link JobChangeListener}: every committed change to a
 * job, its events or its metrics names the job; a statement that changes nothing says nothing; a
 * statement over thousands of jobs arrives whole, split under PostgreSQL's payload limit.
 */
class JobChangeNotificationsTest {
  static EmbeddedDatabase database;
  static Jdbi jdbi;
  static final LinkedBlockingQueue<JobChanges> heard = new LinkedBlockingQueue<>();
  static JobChangeListener listener;

  @BeforeAll
  static void start() throws Exception {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
    listener = new JobChangeListener(() -> database.dataSource().getConnection(), heard::add);
    listener.start();
    // the listener is up once it hears a change
    long probe = TestJobs.insert(jdbi, TestJobs.spec(Map.of()), null, "{}").jobId();
    assertThat(awaitIds(Set.of(probe))).contains(probe);
  }

  @AfterAll
  static void stop() {
    listener.close();
    database.close();
  }

  private static Set<Long> awaitIds(Set<Long> wanted) throws InterruptedException {
    Set<Long> ids = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ids.containsAll(wanted) && System.nanoTime() < deadline) {
      JobChanges changes = heard.poll(200, TimeUnit.MILLISECONDS);
      if (changes != null) {
        ids.addAll(changes.jobIds());
      }
    }
    return ids;
  }

  private static void update(String sql, Object... args) {
    jdbi.useHandle(
        h -> {
          var update = h.createUpdate(sql);
          for (int i = 0; i < args.length; i++) {
            update.bind(i, args[i]);
          }
          update.execute();
        });
  }

  @Test
  void aJobsRowEventsAndMetricsEachAnnounceTheJob() throws Exception {
    JobSpec job = TestJobs.insert(jdbi, TestJobs.spec(Map.of()), null, "{}");
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());

    update("UPDATE training_jobs SET progress = 5 WHERE id = ?", job.jobId());
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());
    update(
        "INSERT INTO job_events (job_id, trace_id, level, event_type, message)"
            + " VALUES (?, ?, 'info', 'x', 'x')",
        job.jobId(),
        job.traceId());
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());
    update("INSERT INTO training_metrics (job_id, metrics) VALUES (?, '{}'::jsonb)", job.jobId());
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());
  }

  @Test
  void anAttemptsStartAndEndAnnounceTheJob() throws Exception {
    JobSpec job = TestJobs.insert(jdbi, TestJobs.spec(Map.of()), null, "{}");
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());

    update(
        "INSERT INTO job_attempts (job_id, attempt, started_at) VALUES (?, 2, now())", job.jobId());
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());
    update(
        "UPDATE job_attempts SET ended_at = now(), cause = 'evicted' WHERE job_id = ?",
        job.jobId());
    assertThat(awaitIds(Set.of(job.jobId()))).contains(job.jobId());
  }

  @Test
  void aStatementThatChangesNoRowSucceedsAndSaysNothing() throws Exception {
    heard.clear();
    update("UPDATE training_jobs SET progress = 1 WHERE id = -1");
    update(
        "INSERT INTO training_metrics (job_id, metrics) SELECT id, '{}' FROM training_jobs WHERE false");
    update("UPDATE job_attempts SET cause = 'x' WHERE job_id = -1");
    assertThat(heard.poll(1, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void thousandsOfJobsInOneStatementArriveWholeInSeveralNotifications() throws Exception {
    List<Long> ids =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "INSERT INTO training_jobs (trace_id, workflow_id, framework, model_name,"
                            + " dataset_id, epochs, batch_size, learning_rate, project_id,"
                            + " heartbeat_timeout_seconds, startup_timeout_seconds,"
                            + " max_runtime_seconds, cancel_grace_seconds)"
                            + " SELECT 'bulk-' || g, 'wf-' || g, 'scripted', 'm', 'd', 1, 1, 0.1,"
                            + " 'proj-1', 60, 60, 60, 60 FROM generate_series(1, 3000) g"
                            + " RETURNING id")
                    .mapTo(Long.class)
                    .list());
    heard.clear();
    // 3,000 ids are ~15 KB: unsplit, pg_notify would refuse the payload and fail the UPDATE
    update("UPDATE training_jobs SET progress = 2 WHERE trace_id LIKE 'bulk-%'");
    Set<Long> got = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (got.size() < ids.size() && System.nanoTime() < deadline) {
      JobChanges changes = heard.poll(200, TimeUnit.MILLISECONDS);
      if (changes != null) {
        got.addAll(changes.jobIds());
      }
    }
    assertThat(got).containsAll(ids);
  }
}
