package dev.trainyard.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job list's indexes (V6) never cost the heartbeat its HOT update: no index of training_jobs
 * holds a column that a heartbeat or any other callback writes, and a heartbeat's UPDATE is a
 * heap-only tuple update.
 */
class JobListIndexesTest {
  /** What the callback paths write on every call (JobWriteDao, HeartbeatBatch). */
  private static final List<String> CALLBACK_COLUMNS =
      List.of(
          "current_epoch",
          "progress",
          "last_heartbeat_at",
          "last_callback_at",
          "callback_signalled_at",
          "updated_at");

  static EmbeddedDatabase database;
  static Jdbi jdbi;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void noIndexHoldsAColumnTheCallbacksWrite() {
    List<String> indexes =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'training_jobs'")
                    .mapTo(String.class)
                    .list());

    assertThat(indexes)
        .anySatisfy(i -> assertThat(i).contains("training_jobs_list_trace"))
        .anySatisfy(i -> assertThat(i).contains("training_jobs_list_model"));
    for (String column : CALLBACK_COLUMNS) {
      assertThat(indexes).noneMatch(i -> i.matches("(?s).*\\b" + column + "\\b.*"));
    }
  }

  @Test
  void aHeartbeatIsAHeapOnlyUpdate() {
    long id = TestJobs.pending(jdbi);
    long[] counts =
        jdbi.inTransaction(
            h -> {
              JobWriteDao writes = h.attach(JobWriteDao.class);
              for (int i = 1; i <= 5; i++) {
                writes.recordHeartbeat(id, i, i * 10.0, OffsetDateTime.now().minusHours(1));
              }
              // this transaction's own counters, exact at once (pg_stat_user_tables lags)
              return h.createQuery(
                      "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                          + " WHERE relname = 'training_jobs'")
                  .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                  .one();
            });

    assertThat(counts[0]).isGreaterThanOrEqualTo(5);
    assertThat(counts[1]).as("HOT updates of %s", counts[0]).isEqualTo(counts[0]);
  }
}
