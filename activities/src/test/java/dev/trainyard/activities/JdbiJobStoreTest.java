package dev.trainyard.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.jobs.AttemptRecord;
import dev.trainyard.store.jobs.JobAttemptDao;
import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.messages.AttemptEnd;
import dev.trainyard.workflows.messages.AttemptStart;
import dev.trainyard.workflows.messages.StatusChange;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MDC;

class JdbiJobStoreTest {
  static EmbeddedDatabase database;
  static Jdbi jdbi;
  static JdbiJobStore store;

  @BeforeAll
  static void startDatabase() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
    store = new JdbiJobStore(jdbi);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @org.junit.jupiter.api.Test
  void readsWhenTheTrainerLastCalledBackAsTheApiRecordedIt() {
    long id = insertJob(JobStatus.RUNNING);
    assertThat(store.lastCallbackAtMillis(id)).as("never called back").isZero();
    assertThat(store.lastCallbackAtMillis(987_654_321L)).as("unknown job").isZero();

    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET last_callback_at = TIMESTAMPTZ '2026-11-27 08:00:00.250Z' WHERE id = ?",
                id));

    assertThat(store.lastCallbackAtMillis(id))
        .isEqualTo(java.time.Instant.parse("2026-11-27T08:00:00.250Z").toEpochMilli());
  }

  static Stream<Arguments> validTransitions() {
    return pairs(true);
  }

  static Stream<Arguments> invalidTransitions() {
    return pairs(false);
  }

  private static Stream<Arguments> pairs(boolean allowed) {
    List<Arguments> pairs = new ArrayList<>();
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        if (from.canTransitionTo(to) == allowed) {
          pairs.add(Arguments.of(from, to));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("validTransitions")
  void appliesEveryValidTransitionWithItsTimestampAndOneEvent(JobStatus from, JobStatus to) {
    long id = insertJob(from);
    Instant at = Instant.parse("2026-03-01T10:15:30.123Z");

    store.recordTransition(StatusChange.of(id, from, to, at.toEpochMilli()));

    Map<String, Object> row = job(id);
    assertThat(row.get("status")).isEqualTo(to.wireName());
    String column =
        to == JobStatus.QUEUED
            ? "queued_at"
            : to == JobStatus.RUNNING ? "started_at" : "completed_at";
    assertThat(instant(row, column)).isEqualTo(at);
    for (String other : List.of("queued_at", "started_at", "completed_at")) {
      if (!other.equals(column)) {
        assertThat(row.get(other)).as(other).isNull();
      }
    }
    List<Map<String, Object>> events = statusEvents(id);
    assertThat(events).hasSize(1);
    Map<String, Object> event = events.get(0);
    assertThat(event.get("trace_id")).isEqualTo(row.get("trace_id"));
    assertThat(event.get("source")).isEqualTo("trainyard");
    assertThat(event.get("message")).isEqualTo(from.wireName() + " → " + to.wireName());
    assertThat(event.get("level"))
        .isEqualTo(to == JobStatus.FAILED || to == JobStatus.CANCELLED ? "warning" : "info");
    Map<String, Object> data = new java.util.HashMap<>();
    data.put("from", from.wireName());
    data.put("to", to.wireName());
    data.put("reason", null);
    assertThat(json(event.get("data"))).isEqualTo(data);
    assertThat(MDC.get("trace_id")).isNull();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("invalidTransitions")
  void refusesEveryInvalidTransitionAndChangesNothing(JobStatus from, JobStatus to) {
    long id = insertJob(from);

    assertThatThrownBy(() -> store.recordTransition(StatusChange.of(id, from, to, 1L)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertInvalidTransition(f));

    assertThat(job(id).get("status")).isEqualTo(from.wireName());
    assertThat(statusEvents(id)).isEmpty();
  }

  @Test
  void aRetriedTransitionIsAcceptedOnceAndRecordedOnce() {
    long id = insertJob(JobStatus.PENDING);
    StatusChange queued = StatusChange.of(id, JobStatus.PENDING, JobStatus.QUEUED, 1_000L);

    store.recordTransition(queued);
    store.recordTransition(queued);

    assertThat(job(id).get("status")).isEqualTo("queued");
    assertThat(statusEvents(id)).hasSize(1);
  }

  @Test
  void refusesATransitionFromAStateTheJobHasLeftNamingTheActualState() {
    long id = insertJob(JobStatus.RUNNING);

    assertThatThrownBy(
            () ->
                store.recordTransition(
                    StatusChange.of(id, JobStatus.PENDING, JobStatus.QUEUED, 1L)))
        .isInstanceOfSatisfying(ApplicationFailure.class, this::assertInvalidTransition)
        .hasMessageContaining("the job is running");
    assertThat(job(id).get("status")).isEqualTo("running");
    assertThat(job(id).get("queued_at")).isNull();
  }

  @Test
  void refusesATransitionOfAnUnknownJob() {
    assertThatThrownBy(
            () ->
                store.recordTransition(
                    StatusChange.of(987_654_321L, JobStatus.PENDING, JobStatus.QUEUED, 1L)))
        .isInstanceOfSatisfying(ApplicationFailure.class, this::assertInvalidTransition)
        .hasMessageContaining("no such job");
  }

  @Test
  void aFailureRecordsReasonAndMessageButKeepsTheTrainersOwnError() {
    long id = insertJob(JobStatus.RUNNING);
    long trainerReported = insertJob(JobStatus.RUNNING);
    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET error_message = 'CUDA OOM' WHERE id = ?",
                trainerReported));

    for (long job : List.of(id, trainerReported)) {
      store.recordTransition(
          new StatusChange(
              job,
              JobStatus.RUNNING,
              JobStatus.FAILED,
              5_000L,
              FailureReason.HEARTBEAT_TIMEOUT,
              "no heartbeat for 600 s",
              null));
    }

    assertThat(job(id))
        .containsEntry("failure_reason", "heartbeat_timeout")
        .containsEntry("error_message", "no heartbeat for 600 s");
    assertThat(job(trainerReported)).containsEntry("error_message", "CUDA OOM");
    Map<String, Object> event = statusEvents(id).get(0);
    assertThat(event.get("message")).isEqualTo("running → failed: no heartbeat for 600 s");
    assertThat(json(event.get("data"))).containsEntry("reason", "heartbeat_timeout");
  }

  @Test
  void aCancellationRecordsItsReasonButNoErrorMessage() {
    long id = insertJob(JobStatus.RUNNING);

    store.recordTransition(
        new StatusChange(
            id,
            JobStatus.RUNNING,
            JobStatus.CANCELLED,
            5_000L,
            FailureReason.CANCEL_FORCED,
            "stopped after the grace",
            null));

    assertThat(job(id))
        .containsEntry("failure_reason", "cancel_forced")
        .containsEntry("error_message", null);
  }

  @Test
  void aWholeLifecycleSetsEveryTimestampAndTheTrainerLog() {
    long id = insertJob(JobStatus.PENDING);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    store.recordTransition(
        new StatusChange(
            id,
            JobStatus.PENDING,
            JobStatus.QUEUED,
            start.toEpochMilli(),
            null,
            null,
            "/var/trainyard/jobs/job-" + id + "/trainer.log"));
    store.recordTransition(
        StatusChange.of(id, JobStatus.QUEUED, JobStatus.RUNNING, start.toEpochMilli() + 1_000));
    store.recordTransition(
        StatusChange.of(id, JobStatus.RUNNING, JobStatus.SUCCEEDED, start.toEpochMilli() + 2_000));

    Map<String, Object> row = job(id);
    assertThat(row.get("trainer_log")).isEqualTo("/var/trainyard/jobs/job-" + id + "/trainer.log");
    assertThat(instant(row, "queued_at")).isEqualTo(start);
    assertThat(instant(row, "started_at")).isEqualTo(start.plusSeconds(1));
    assertThat(instant(row, "completed_at")).isEqualTo(start.plusSeconds(2));
    assertThat(row.get("failure_reason")).isNull();
    assertThat(statusEvents(id))
        .extracting(e -> e.get("message"))
        .containsExactly("pending → queued", "queued → running", "running → succeeded");
  }

  @Test
  void theListenerHearsEachAppliedTransitionOnceAndNeitherARetryNorARefusal() {
    List<StatusChange> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    JdbiJobStore listened = new JdbiJobStore(jdbi, heard::add);
    long id = insertJob(JobStatus.PENDING);
    StatusChange queued = StatusChange.of(id, JobStatus.PENDING, JobStatus.QUEUED, 1_000L);

    listened.recordTransition(queued);
    listened.recordTransition(queued);
    assertThatThrownBy(
            () ->
                listened.recordTransition(
                    StatusChange.of(id, JobStatus.PENDING, JobStatus.CANCELLED, 2_000L)))
        .isInstanceOf(ApplicationFailure.class);

    assertThat(heard).containsExactly(queued);
  }

  @Test
  void aFailingListenerDoesNotFailTheTransition() {
    JdbiJobStore listened =
        new JdbiJobStore(
            jdbi,
            change -> {
              throw new IllegalStateException("meter broke");
            });
    long id = insertJob(JobStatus.PENDING);

    listened.recordTransition(StatusChange.of(id, JobStatus.PENDING, JobStatus.QUEUED, 1_000L));

    assertThat(job(id).get("status")).isEqualTo("queued");
  }

  @Test
  void concurrentAttemptsOfOneTransitionApplyItExactlyOnce() throws Exception {
    long id = insertJob(JobStatus.QUEUED);
    StatusChange running = StatusChange.of(id, JobStatus.QUEUED, JobStatus.RUNNING, 2_000L);
    List<StatusChange> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    JdbiJobStore listened = new JdbiJobStore(jdbi, heard::add);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> attempts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        attempts.add(pool.submit(() -> listened.recordTransition(running)));
      }
      for (Future<?> attempt : attempts) {
        attempt.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(statusEvents(id)).hasSize(1);
    assertThat(heard).hasSize(1);
  }

  @Test
  void attemptOneIsRecordedWithoutAnEventAndTheJobStaysOnAttemptOne() {
    long id = insertJob(JobStatus.QUEUED);
    long at = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    store.attemptStarted(new AttemptStart(id, 1, 3, at, null, null));

    assertThat(job(id).get("attempt")).isEqualTo(1);
    assertThat(attempts(id)).hasSize(1);
    AttemptRecord first = attempts(id).get(0);
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.startedAt()).isEqualTo(Instant.ofEpochMilli(at));
    assertThat(first.endedAt()).isNull();
    assertThat(first.resumedFromUri()).isNull();
    assertThat(attemptEvents(id)).isEmpty();
  }

  @Test
  void aRetriedAttemptIsRecordedOnceWithItsEventsAndBecomesTheJobsAttempt() {
    long id = insertJob(JobStatus.RUNNING);
    long t0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    store.attemptStarted(new AttemptStart(id, 1, 3, t0, null, null));
    // the first attempt's trainer called back and its progress was signalled
    jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE training_jobs SET callback_signalled_at = now(), last_callback_at = now()"
                    + " WHERE id = ?",
                id));

    AttemptEnd failed =
        new AttemptEnd(id, 1, t0 + 60_000, "oom_killed", "OOMKilled\nlast lines", t0 + 70_000);
    store.attemptEnded(failed);
    store.attemptEnded(failed); // an activity retry
    String uri = "s3://trainyard/checkpoints/job-" + id + "/attempt-1/last.pt";
    AttemptStart second = new AttemptStart(id, 2, 3, t0 + 70_000, uri, 3);
    store.attemptStarted(second);
    store.attemptStarted(second);

    Map<String, Object> row = job(id);
    assertThat(row.get("attempt")).isEqualTo(2);
    assertThat(row.get("callback_signalled_at"))
        .as("the new attempt's first callback is signalled")
        .isNull();
    assertThat(row.get("last_callback_at"))
        .as("the old trainer's liveness is not the new one's")
        .isNull();
    assertThat(row.get("status")).isEqualTo("running");

    List<AttemptRecord> attempts = attempts(id);
    assertThat(attempts).extracting(AttemptRecord::attempt).containsExactly(1, 2);
    assertThat(attempts.get(0).endedAt()).isEqualTo(Instant.ofEpochMilli(t0 + 60_000));
    assertThat(attempts.get(0).cause()).isEqualTo("oom_killed");
    assertThat(attempts.get(0).message()).isEqualTo("OOMKilled\nlast lines");
    assertThat(attempts.get(1).startedAt()).isEqualTo(Instant.ofEpochMilli(t0 + 70_000));
    assertThat(attempts.get(1).endedAt()).isNull();
    assertThat(attempts.get(1).resumedFromUri()).isEqualTo(uri);
    assertThat(attempts.get(1).resumedFromEpoch()).isEqualTo(3);

    List<Map<String, Object>> events = attemptEvents(id);
    assertThat(events)
        .extracting(e -> e.get("event_type"))
        .containsExactly("attempt_failed", "attempt_started");
    assertThat(events).allSatisfy(e -> assertThat(e.get("source")).isEqualTo("trainyard"));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.get("trace_id")).isEqualTo(row.get("trace_id")));
    assertThat(events.get(0).get("level")).isEqualTo("warning");
    assertThat(events.get(0).get("message"))
        .isEqualTo("attempt 1 failed (oom_killed): OOMKilled; attempt 2 in 10 s");
    assertThat(json(events.get(0).get("data")))
        .containsEntry("attempt", 1)
        .containsEntry("cause", "oom_killed")
        .containsEntry("next_attempt", 2)
        .containsEntry("next_attempt_at", "2026-03-01T10:01:10Z");
    assertThat(events.get(1).get("level")).isEqualTo("info");
    assertThat(events.get(1).get("message"))
        .isEqualTo("attempt 2 of 3 started, resuming from epoch 3");
    assertThat(json(events.get(1).get("data")))
        .containsEntry("attempt", 2)
        .containsEntry("max_attempts", 3)
        .containsEntry("resumed_from_uri", uri)
        .containsEntry("resumed_from_epoch", 3);
  }

  @Test
  void aRetryAfterTheNewAttemptCalledBackLeavesItsMarkAlone() {
    long id = insertJob(JobStatus.RUNNING);
    AttemptStart second = new AttemptStart(id, 2, 2, 1_000, null, null);
    store.attemptStarted(second);
    jdbi.useHandle(
        h -> h.execute("UPDATE training_jobs SET callback_signalled_at = now() WHERE id = ?", id));

    store.attemptStarted(second);

    assertThat(job(id).get("callback_signalled_at")).isNotNull();
    assertThat(attemptEvents(id))
        .extracting(e -> e.get("message"))
        .containsExactly("attempt 2 of 2 started, starting over (no checkpoint)");
  }

  @Test
  void theLastAttemptsEndAndASuccessAreRecordedWithoutAnEvent() {
    long id = insertJob(JobStatus.RUNNING);
    store.attemptStarted(new AttemptStart(id, 1, 2, 1_000, null, null));
    store.attemptEnded(new AttemptEnd(id, 1, 2_000, "oom_killed", "OOMKilled", 3_000L));
    store.attemptStarted(new AttemptStart(id, 2, 2, 3_000, null, null));
    store.attemptEnded(new AttemptEnd(id, 2, 4_000, "node_lost", "the node went away", null));
    store.attemptEnded(new AttemptEnd(id, 2, 5_000, null, null, null)); // too late: kept

    List<AttemptRecord> attempts = attempts(id);
    assertThat(attempts.get(1).cause()).isEqualTo("node_lost");
    assertThat(attempts.get(1).endedAt()).isEqualTo(Instant.ofEpochMilli(4_000));
    assertThat(attemptEvents(id))
        .extracting(e -> e.get("event_type"))
        .containsExactly("attempt_failed", "attempt_started");

    long succeeded = insertJob(JobStatus.RUNNING);
    store.attemptStarted(new AttemptStart(succeeded, 1, 1, 1_000, null, null));
    store.attemptEnded(new AttemptEnd(succeeded, 1, 9_000, null, null, null));
    assertThat(attempts(succeeded).get(0).endedAt()).isEqualTo(Instant.ofEpochMilli(9_000));
    assertThat(attempts(succeeded).get(0).cause()).isNull();
    assertThat(attemptEvents(succeeded)).isEmpty();
  }

  @Test
  void attemptsOfAnUnknownJobChangeNothingAndDoNotFail() {
    store.attemptStarted(new AttemptStart(987_654_322L, 2, 3, 1_000, null, null));
    store.attemptEnded(new AttemptEnd(987_654_322L, 1, 1_000, "evicted", "x", 2_000L));
    assertThat(attempts(987_654_322L)).isEmpty();
  }

  private static List<AttemptRecord> attempts(long id) {
    return jdbi.withExtension(JobAttemptDao.class, dao -> dao.list(id));
  }

  private static List<Map<String, Object>> attemptEvents(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT trace_id, source, level, event_type, message, data::text AS data"
                        + " FROM job_events WHERE job_id = ? AND event_type LIKE 'attempt_%'"
                        + " ORDER BY id")
                .bind(0, id)
                .mapToMap()
                .list());
  }

  private static Instant instant(Map<String, Object> row, String column) {
    Object value = row.get(column);
    return value instanceof OffsetDateTime odt
        ? odt.toInstant()
        : ((java.sql.Timestamp) value).toInstant();
  }

  private static Map<String, Object> json(Object text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue((String) text, Map.class);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private void assertInvalidTransition(ApplicationFailure failure) {
    assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_TRANSITION);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  private static long insertJob(JobStatus status) {
    String traceId = UUID.randomUUID().toString();
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO projects (name, created_by) VALUES ('proj-1', 'test')"
                    + " ON CONFLICT DO NOTHING"));
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "INSERT INTO training_jobs (trace_id, workflow_id, status, framework, model_name,"
                        + " dataset_id, epochs, batch_size, learning_rate, project_id,"
                        + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
                        + " cancel_grace_seconds) VALUES (:trace, 'training-job-x', :status, 'yolo',"
                        + " 'yolov8n.pt', 'coco128', 3, 16, 0.001, 'proj-1', 600, 900, 86400, 60)"
                        + " RETURNING id")
                .bind("trace", traceId)
                .bind("status", status.wireName())
                .mapTo(Long.class)
                .one());
  }

  private static Map<String, Object> job(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM training_jobs WHERE id = ?").bind(0, id).mapToMap().one());
  }

  private static List<Map<String, Object>> statusEvents(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT trace_id, source, level, message, data::text AS data FROM job_events"
                        + " WHERE job_id = ? AND event_type = 'status_changed' ORDER BY id")
                .bind(0, id)
                .mapToMap()
                .list());
  }
}
