package dev.trainyard.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One rule decides when a progress signal is due, whichever statement records the callback: the
 * group commit and the one-job path mark the same rows, and a signal that failed falls due again.
 */
class ProgressSignalMarksTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  static EmbeddedDatabase database;
  static Jdbi jdbi;
  static ProgressSignalMarks marks;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
    marks = new ProgressSignalMarks(jdbi, Clock.systemUTC(), INTERVAL);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  /** A job in {@code status} whose mark was set {@code markAge} ago (null: never signalled). */
  private static long job(String status, Duration markAge) {
    long id = TestJobs.pending(jdbi);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE training_jobs SET status = :status, callback_signalled_at ="
                        + " CASE WHEN :age IS NULL THEN NULL"
                        + " ELSE now() - make_interval(secs => :age) END WHERE id = :id")
                .bind("status", status)
                .bind("age", markAge == null ? null : (double) markAge.toSeconds())
                .bind("id", id)
                .execute());
    return id;
  }

  private static OffsetDateTime markOf(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT callback_signalled_at FROM training_jobs WHERE id = :id")
                .bind("id", id)
                .mapTo(OffsetDateTime.class)
                .one());
  }

  private static boolean onePathHeartbeat(long id) {
    return jdbi.inTransaction(
        h -> h.attach(JobWriteDao.class).recordHeartbeat(id, 1, 10.0, marks.signalDueBefore()));
  }

  private static boolean onePathEvent(long id) {
    return jdbi.inTransaction(
        h -> h.attach(JobWriteDao.class).recordCallback(id, marks.signalDueBefore()));
  }

  private static boolean groupCommitMarked(long id, String traceId) {
    HeartbeatBatch.Applied applied =
        new HeartbeatBatch(jdbi, marks)
            .apply(List.of(new HeartbeatBatch.Row(id, traceId, 1, 10, 10.0, null, 1)))
            .get(id);
    return applied.signalMarkedAt() != null;
  }

  private static String traceOf(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT trace_id FROM training_jobs WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .one());
  }

  @Test
  void aJobNotRunningYetIsSignalledOnEveryCallback() {
    assertThat(onePathHeartbeat(job("pending", null))).isTrue();
    assertThat(onePathEvent(job("queued", Duration.ZERO))).isTrue();
  }

  @Test
  void bothPathsSignalARunningJobOncePerInterval() {
    long fresh = job("running", Duration.ofSeconds(5));
    long stale = job("running", Duration.ofSeconds(31));
    long never = job("running", null);
    OffsetDateTime freshMark = markOf(fresh);

    assertThat(onePathHeartbeat(fresh)).isFalse();
    assertThat(onePathEvent(fresh)).isFalse();
    assertThat(groupCommitMarked(fresh, traceOf(fresh))).isFalse();
    assertThat(markOf(fresh)).isEqualTo(freshMark);

    assertThat(onePathHeartbeat(stale)).isTrue();
    assertThat(groupCommitMarked(never, traceOf(never))).isTrue();
    // marked now: the next callback within the interval is not signalled, on either path
    assertThat(groupCommitMarked(stale, traceOf(stale))).isFalse();
    assertThat(onePathEvent(never)).isFalse();
  }

  @Test
  void theGroupCommitAppliesOnlyAHeartbeatOfTheJobsCurrentAttempt() {
    long id = job("running", null);
    String trace = traceOf(id);
    jdbi.useHandle(h -> h.execute("UPDATE training_jobs SET attempt = 2 WHERE id = ?", id));
    HeartbeatBatch batch = new HeartbeatBatch(jdbi, marks);

    var zombie =
        batch.apply(List.of(new HeartbeatBatch.Row(id, trace, 5, 50, 50.0, "{\"loss\": 1}", 1)));

    assertThat(zombie).as("attempt 1's trainer is refused").doesNotContainKey(id);
    assertThat(markOf(id)).isNull();
    Map<String, Object> row = row(id);
    assertThat(row.get("current_epoch")).isEqualTo(0);
    assertThat(row.get("last_callback_at")).isNull();
    assertThat(metricsOf(id)).isZero();

    var current =
        batch.apply(List.of(new HeartbeatBatch.Row(id, trace, 1, 10, 10.0, "{\"loss\": 2}", 2)));

    assertThat(current).containsKey(id);
    assertThat(current.get(id).signalMarkedAt()).isNotNull();
    assertThat(row(id).get("current_epoch")).isEqualTo(1);
    assertThat(metricsOf(id)).isOne();
  }

  private static Map<String, Object> row(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT current_epoch, last_callback_at FROM training_jobs WHERE id = :id")
                .bind("id", id)
                .mapToMap()
                .one());
  }

  private static long metricsOf(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM training_metrics WHERE job_id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one());
  }

  @Test
  void aSignalThatFailedFallsDueAgainSoonUnlessMarkedSinceThen() {
    long id = job("running", Duration.ZERO);
    OffsetDateTime mark = markOf(id);

    marks.dueAgainAfter(id, mark, Duration.ofSeconds(5));

    assertThat(markOf(id).toInstant()).isEqualTo(mark.toInstant().minus(INTERVAL).plusSeconds(5));
    OffsetDateTime movedBack = markOf(id);
    marks.dueAgainAfter(id, mark, Duration.ofSeconds(5)); // the mark it knew is gone
    assertThat(markOf(id)).isEqualTo(movedBack);
  }
}
