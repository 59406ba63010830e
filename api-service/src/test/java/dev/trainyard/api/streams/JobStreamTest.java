package dev.trainyard.api.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.SseClient;
import dev.trainyard.api.support.SseClient.Frame;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.Role;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live streams on the real API, PostgreSQL and its LISTEN/NOTIFY: what a trainer's callbacks
 * and the workflow's status writes (here: SQL, as another process would) put in the database
 * reaches the stream, in order, and a reconnect with Last-Event-ID loses and repeats nothing.
 */
class JobStreamTest extends ApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A second API replica on the same database: streams served here hear APP's callbacks. */
  private static final DropwizardAppExtension<TrainyardApiConfiguration> REPLICA =
      new DropwizardAppExtension<>(
          TrainyardApiApplication.class,
          ResourceHelpers.resourceFilePath("test-api.yml"),
          "replica.",
          ConfigOverride.config("replica.", "database.url", STACK.database.jdbcUrl()),
          ConfigOverride.config("replica.", "temporal.target", STACK.temporalTarget),
          ConfigOverride.config("replica.", "callbacks.jwtSecret", TestStack.JWT_SECRET),
          ConfigOverride.config("replica.", "userApi.streamKeepaliveSeconds", "1"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private long jobId;
  private String traceId;

  @BeforeEach
  void runningJob() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    setStatus(jobId, "running");
  }

  private SseClient open(String path, String lastEventId) throws Exception {
    return SseClient.open(APP.getLocalPort(), path, STACK.adminKey, lastEventId);
  }

  private void heartbeat(int epoch, double loss) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("epoch", epoch);
    body.put("total_epochs", 5);
    body.put("progress", epoch * 20.0);
    body.put("metrics", Map.of("loss", loss));
    callback("heartbeat", body);
  }

  private void event(String type) {
    callback(
        "event", Map.of("trace_id", traceId, "level", "info", "event_type", type, "message", type));
  }

  private void callback(String route, Map<String, Object> body) {
    Http.Reply reply =
        http()
            .post(
                "/v1/jobs/" + jobId + "/" + route,
                Http.json(body),
                "Authorization",
                Tokens.bearer(Tokens.valid(jobId)));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
  }

  /** What the workflow's activity does when a job ends, from outside the API. */
  private void finish(String status) {
    STACK.jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "UPDATE training_jobs SET status = :s, completed_at = now() WHERE id = :id")
              .bind("s", status)
              .bind("id", jobId)
              .execute();
          h.createUpdate(
                  "INSERT INTO job_events (job_id, trace_id, source, level, event_type, message)"
                      + " VALUES (:id, :trace, 'trainyard', 'info', 'status_changed', :m)")
              .bind("id", jobId)
              .bind("trace", traceId)
              .bind("m", "running → " + status)
              .execute();
        });
  }

  private static JsonNode data(Frame frame) throws Exception {
    return JSON.readTree(frame.data());
  }

  @Test
  void aJobStreamStartsWithTheJobThenCarriesHeartbeatsEventsAndTheEnd() throws Exception {
    try (SseClient stream = open("/v1/jobs/" + jobId + "/stream", null)) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.contentType).startsWith("text/event-stream");
      Frame first = stream.awaitEvent("job", WAIT);
      assertThat(stream.seen()).hasSize(1); // the snapshot comes before anything else
      assertThat(data(first).get("job_id").asLong()).isEqualTo(jobId);
      assertThat(data(first).get("status").asText()).isEqualTo("running");

      heartbeat(1, 0.9);
      Frame metric = stream.awaitEvent("metric", WAIT);
      assertThat(data(metric).at("/metrics/loss").asDouble()).isEqualTo(0.9);
      Frame progressed =
          stream.await(
              f -> f.event().equals("job") && f.data().contains("\"current_epoch\":1"), WAIT);
      assertThat(data(progressed).get("progress").asDouble()).isEqualTo(20.0);

      event("checkpoint_saved");
      Frame event = stream.awaitEvent("event", WAIT);
      assertThat(data(event).get("event_type").asText()).isEqualTo("checkpoint_saved");

      finish("succeeded");
      Frame end = stream.awaitEvent("end", WAIT);
      assertThat(data(end).get("status").asText()).isEqualTo("succeeded");
      assertThat(stream.seen())
          .anySatisfy(
              f -> assertThat(f.data()).contains("status_changed").contains("running → succeeded"));
      assertThat(stream.awaitEnded(WAIT)).as("the server closes after end").isTrue();
      // every message but end carries an id, and ids only grow
      List<String> ids = new ArrayList<>();
      for (Frame f : stream.seen()) {
        assertThat(f.id()).as(f.toString()).matches("e\\d+-m\\d+");
        ids.add(f.id());
      }
      assertThat(ids).isSortedAccordingTo(JobStreamTest::compareCursors);
    }
  }

  @Test
  void aCallbackThatLandsOnOneReplicaReachesAStreamServedByAnother() throws Exception {
    try (SseClient onReplica =
        SseClient.open(
            REPLICA.getLocalPort(), "/v1/jobs/" + jobId + "/stream", STACK.adminKey, null)) {
      onReplica.awaitEvent("job", WAIT);
      heartbeat(3, 0.33); // sent to APP
      Frame metric = onReplica.awaitEvent("metric", WAIT);
      assertThat(data(metric).at("/metrics/loss").asDouble()).isEqualTo(0.33);
    }
  }

  @Test
  void aRevokedKeysStreamEndsAtTheNextKeepalive() throws Exception {
    var issued = ApiKeys.issue(STACK.jdbi, "soon revoked", "proj-1", Role.VIEWER, null, "test");
    try (SseClient stream =
            SseClient.open(
                REPLICA.getLocalPort(), "/v1/jobs/" + jobId + "/stream", issued.key(), null);
        SseClient list =
            SseClient.open(REPLICA.getLocalPort(), "/v1/jobs/stream", issued.key(), null)) {
      stream.awaitEvent("job", WAIT);
      list.awaitEvent("ready", WAIT);
      assertThat(stream.awaitEnded(Duration.ofSeconds(2))).as("open while the key works").isFalse();
      Http.Reply revoked = http().delete("/v1/keys/" + issued.keyId());
      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(stream.awaitEnded(WAIT)).isTrue();
      assertThat(list.awaitEnded(WAIT)).isTrue();
      assertThat(stream.seen()).noneMatch(f -> f.event().equals("end")); // not the job's end
    }
  }

  /** A browser asks for gzip; a compressed stream would sit in the deflater's buffer. */
  @Test
  void aStreamIsNeverCompressedSoEachMessageArrivesAtOnce() throws Exception {
    try (SseClient stream =
        SseClient.open(
            APP.getLocalPort(),
            "/v1/jobs/" + jobId + "/stream",
            STACK.adminKey,
            null,
            "Accept-Encoding",
            "gzip, deflate")) {
      assertThat(stream.contentEncoding).isEqualTo("identity");
      stream.awaitEvent("job", WAIT);
      heartbeat(1, 0.77);
      stream.await(f -> f.event().equals("metric") && f.data().contains("0.77"), WAIT);
    }
  }

  @Test
  void aReconnectWithLastEventIdResumesWithoutGapsOrRepeats() throws Exception {
    heartbeat(1, 0.9);
    event("dataset_loaded");
    String resumeAt;
    List<Frame> before;
    try (SseClient stream = open("/v1/jobs/" + jobId + "/stream", null)) {
      // catch-up: events first, then metrics
      stream.awaitEvent("event", WAIT);
      stream.awaitEvent("metric", WAIT);
      heartbeat(2, 0.8);
      stream.await(f -> f.event().equals("metric") && f.data().contains("0.8"), WAIT);
      before = stream.seen();
      resumeAt = before.get(before.size() - 1).id();
    }
    // while nobody listens
    heartbeat(3, 0.7);
    event("checkpoint_saved");
    heartbeat(4, 0.6);
    try (SseClient stream = open("/v1/jobs/" + jobId + "/stream", resumeAt)) {
      assertThat(data(stream.awaitEvent("job", WAIT)).get("current_epoch").asInt()).isEqualTo(4);
      stream.await(f -> f.event().equals("metric") && f.data().contains("0.6"), WAIT);
      heartbeat(5, 0.5);
      stream.await(f -> f.event().equals("metric") && f.data().contains("0.5"), WAIT);
      List<Frame> after = stream.seen();

      List<Double> losses = new ArrayList<>();
      List<String> events = new ArrayList<>();
      for (Frame f : concat(before, after)) {
        if (f.event().equals("metric")) {
          losses.add(data(f).at("/metrics/loss").asDouble());
        } else if (f.event().equals("event")) {
          events.add(data(f).get("event_type").asText());
        }
      }
      assertThat(losses).containsExactly(0.9, 0.8, 0.7, 0.6, 0.5);
      assertThat(events).containsExactly("dataset_loaded", "checkpoint_saved");
    }
  }

  @Test
  void aFinishedJobsStreamIsItsHistoryThenEnd() throws Exception {
    heartbeat(1, 0.9);
    finish("failed");
    try (SseClient stream = open("/v1/jobs/" + jobId + "/stream", null)) {
      stream.awaitEvent("end", WAIT);
      assertThat(stream.seen().stream().map(Frame::event))
          .containsExactly("job", "event", "metric", "end");
      assertThat(stream.awaitEnded(WAIT)).isTrue();
    }
  }

  @Test
  void streamsAnswerLikeTheRestOfTheApiWhenRefused() throws Exception {
    try (SseClient anonymous =
        SseClient.open(APP.getLocalPort(), "/v1/jobs/" + jobId + "/stream", null, null)) {
      assertThat(anonymous.status).isEqualTo(401);
    }
    String otherProject =
        ApiKeys.issue(STACK.jdbi, "stream viewer", "proj-2", Role.VIEWER, null, "test").key();
    try (SseClient other =
        SseClient.open(APP.getLocalPort(), "/v1/jobs/" + jobId + "/stream", otherProject, null)) {
      assertThat(other.status).isEqualTo(404);
      assertThat(other.contentType).startsWith("application/problem+json");
    }
    try (SseClient badCursor = open("/v1/jobs/" + jobId + "/stream", "e1-x")) {
      assertThat(badCursor.status).isEqualTo(400);
      assertThat(badCursor.refusal()).contains("Last-Event-ID");
    }
    try (SseClient byStatus = open("/v1/jobs/stream?status=running", null)) {
      assertThat(byStatus.status).isEqualTo(400);
      assertThat(byStatus.refusal()).contains("status");
    }
    try (SseClient badModel = open("/v1/jobs/stream?model=../x", null)) {
      assertThat(badModel.status).isEqualTo(400);
    }
  }

  @Test
  void theListStreamCarriesChangesOfVisibleMatchingJobsOnly() throws Exception {
    String viewer =
        ApiKeys.issue(STACK.jdbi, "list viewer", "proj-1", Role.VIEWER, null, "test").key();
    try (SseClient all = open("/v1/jobs/stream", null);
        SseClient proj2 = open("/v1/jobs/stream?project=proj-2", null);
        SseClient ownProject =
            SseClient.open(APP.getLocalPort(), "/v1/jobs/stream", viewer, null)) {
      all.awaitEvent("ready", WAIT);
      proj2.awaitEvent("ready", WAIT);
      ownProject.awaitEvent("ready", WAIT);

      heartbeat(2, 0.5);
      Frame seen = all.await(f -> f.event().equals("job") && isJob(f, jobId), WAIT);
      assertThat(data(seen).get("project_id").asText()).isEqualTo("proj-1");
      ownProject.await(f -> f.event().equals("job") && isJob(f, jobId), WAIT);

      Map<String, Object> other = validJob();
      other.put("project_id", "proj-2");
      long otherJob = http().post("/v1/jobs", Http.json(other)).json().get("job_id").asLong();
      proj2.await(f -> f.event().equals("job") && isJob(f, otherJob), WAIT);
      all.await(f -> f.event().equals("job") && isJob(f, otherJob), WAIT);
      // proj-1's viewer never hears of proj-2's job, proj-2's filter never of proj-1's
      heartbeat(3, 0.4);
      ownProject.await(f -> f.data().contains("\"current_epoch\":3"), WAIT);
      assertThat(ownProject.seen()).noneMatch(f -> isJob(f, otherJob));
      assertThat(proj2.seen()).noneMatch(f -> isJob(f, jobId));
    }
  }

  @Test
  void aListStreamResumedWithLastEventIdGetsWhatChangedWhileAway() throws Exception {
    String resumeAt;
    try (SseClient stream = open("/v1/jobs/stream", null)) {
      resumeAt = stream.awaitEvent("ready", WAIT).id();
    }
    heartbeat(4, 0.3);
    try (SseClient stream = open("/v1/jobs/stream", resumeAt)) {
      Frame missed =
          stream.await(
              f ->
                  f.event().equals("job")
                      && isJob(f, jobId)
                      && f.data().contains("\"current_epoch\":4"),
              WAIT);
      assertThat(missed.id()).startsWith("u");
    }
  }

  private static boolean isJob(Frame frame, long jobId) {
    return frame.data().contains("\"job_id\":" + jobId + ",");
  }

  private static List<Frame> concat(List<Frame> a, List<Frame> b) {
    List<Frame> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static int compareCursors(String a, String b) {
    String[] x = a.substring(1).split("-m");
    String[] y = b.substring(1).split("-m");
    int events = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    int metrics = Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    if (events > 0 && metrics < 0 || events < 0 && metrics > 0) {
      throw new AssertionError("cursors move both ways: " + a + " then " + b);
    }
    return events != 0 ? events : metrics;
  }

  static {
    assertThat(TestStack.PROJECTS).contains("proj-1", "proj-2");
  }
}
