package dev.trainyard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.bench.sim.BenchJob;
import dev.trainyard.bench.sim.CallbackClient.Reply;
import dev.trainyard.bench.stack.BenchAccess;
import dev.trainyard.bench.stack.InProcessStack;
import dev.trainyard.bench.support.JobFacts;
import dev.trainyard.bench.support.ManualTrainers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Duplicate, late, out-of-order and racing callbacks, and a trainer that falls silent, against the
 * real API, workflow and job store: each job ends in its right terminal state exactly once, and
 * every callback answered 200 is in the database.
 */
class CallbackOrderingFaultTest {
  static ManualTrainers trainers = new ManualTrainers();
  static InProcessStack stack;
  static ApiClient api;
  static JobFacts facts;

  @BeforeAll
  static void start() throws Exception {
    // progress signals every second, so signalled and unsignalled heartbeats both occur
    stack = InProcessStack.start(trainers, Duration.ofSeconds(1));
    api = BenchJob.client(stack.apiUrl(), BenchAccess.adminKey(stack.jdbi()));
    facts = new JobFacts(stack.jdbi());
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  static long submit(int heartbeatTimeoutSeconds) {
    return BenchJob.submit(api, heartbeatTimeoutSeconds);
  }

  static Map<String, Object> heartbeat(long job, int epoch) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", trainers.traceId(job));
    body.put("epoch", epoch);
    body.put("step", epoch * 10);
    body.put("progress", Math.min(100.0, epoch * 3.0));
    body.put("metrics", Map.of("loss", 1.0 / (epoch + 1)));
    return body;
  }

  static Map<String, Object> done(long job, String status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", trainers.traceId(job));
    body.put("status", status);
    body.put("final_metrics", Map.of("loss", 0.01));
    body.put("artifacts", Map.of());
    if (status.equals("failed")) {
      body.put("error", "CUDA out of memory");
    }
    return body;
  }

  static void awaitStatus(long job, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> facts.status(job).equals(status));
  }

  static void assertEndedOnce(long job, String status, String reason, long acceptedHeartbeats) {
    awaitStatus(job, status);
    assertThat(facts.failureReason(job)).isEqualTo(reason);
    // a late second transition would show up here: give the workflow time to (wrongly) make one
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> facts.terminalTransitions(job).equals(List.of(status)));
    assertThat(facts.heartbeatMetricRows(job))
        .as("accepted heartbeats persisted")
        .isEqualTo(acceptedHeartbeats);
  }

  @Test
  void duplicateHeartbeatsAndDonesAreKeptOnceEachAndEndTheJobOnce() {
    long job = submit(600);
    Map<String, Object> beat = heartbeat(job, 1);
    List<CompletableFuture<Reply>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(CompletableFuture.supplyAsync(() -> trainers.call(job, "heartbeat", beat)));
    }
    long accepted = sends.stream().map(CompletableFuture::join).filter(Reply::ok).count();
    assertThat(accepted).isEqualTo(5); // a repeated heartbeat is a new report, not an error
    awaitStatus(job, "running");

    Map<String, Object> done = done(job, "succeeded");
    List<CompletableFuture<Reply>> dones = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      dones.add(CompletableFuture.supplyAsync(() -> trainers.call(job, "done", done)));
    }
    assertThat(dones.stream().map(CompletableFuture::join).map(Reply::status)).containsOnly(200);
    assertEndedOnce(job, "succeeded", null, 5);
  }

  @Test
  void doneBeforeAnyHeartbeatRunsThenSucceeds() {
    long job = submit(600);
    awaitStatus(job, "queued");
    assertThat(trainers.call(job, "done", done(job, "succeeded")).status()).isEqualTo(200);
    assertEndedOnce(job, "succeeded", null, 0);
  }

  @Test
  void outOfOrderEpochsAreAllKeptAndAFailedDoneFailsTheJob() {
    long job = submit(600);
    int accepted = 0;
    for (int epoch : new int[] {3, 1, 2, 0, 3}) {
      assertThat(trainers.call(job, "heartbeat", heartbeat(job, epoch)).status()).isEqualTo(200);
      accepted++;
    }
    assertThat(
            trainers
                .call(
                    job,
                    "event",
                    Map.of(
                        "trace_id",
                        trainers.traceId(job),
                        "level",
                        "info",
                        "event_type",
                        "epoch_end",
                        "message",
                        "late epoch 1"))
                .status())
        .isEqualTo(200);
    assertThat(trainers.call(job, "done", done(job, "failed")).status()).isEqualTo(200);
    assertEndedOnce(job, "failed", "trainer_reported_failure", accepted);
    assertThat(facts.trainerEvents(job)).isEqualTo(1);
  }

  @Test
  void lateCallbacksAfterTheEndAreRefusedAndChangeNothing() {
    long job = submit(600);
    assertThat(trainers.call(job, "heartbeat", heartbeat(job, 1)).status()).isEqualTo(200);
    Map<String, Object> done = done(job, "succeeded");
    assertThat(trainers.call(job, "done", done).status()).isEqualTo(200);
    awaitStatus(job, "succeeded");
    Map<String, Object> before = facts.row(job);

    assertThat(trainers.call(job, "heartbeat", heartbeat(job, 2)).status()).isEqualTo(409);
    assertThat(
            trainers
                .call(
                    job,
                    "event",
                    Map.of(
                        "trace_id",
                        trainers.traceId(job),
                        "level",
                        "info",
                        "event_type",
                        "late",
                        "message",
                        "too late"))
                .status())
        .isEqualTo(409);
    assertThat(trainers.call(job, "done", done(job, "failed")).status()).isEqualTo(409);
    assertThat(trainers.call(job, "done", done).status()).isEqualTo(200); // an identical retry

    assertThat(facts.row(job)).isEqualTo(before);
    assertThat(facts.trainerEvents(job)).isZero();
    assertEndedOnce(job, "succeeded", null, 1);
  }

  @Test
  void heartbeatsRacingTheDoneAreEachEitherPersistedOrRefused() {
    long job = submit(600);
    assertThat(trainers.call(job, "heartbeat", heartbeat(job, 0)).status()).isEqualTo(200);
    awaitStatus(job, "running");
    List<CompletableFuture<Reply>> racing = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      int epoch = i;
      racing.add(
          CompletableFuture.supplyAsync(
              () -> trainers.call(job, "heartbeat", heartbeat(job, epoch))));
      if (i == 15) {
        racing.add(
            CompletableFuture.supplyAsync(
                () -> trainers.call(job, "done", done(job, "succeeded"))));
      }
    }
    List<Reply> replies = racing.stream().map(CompletableFuture::join).toList();
    assertThat(replies).extracting(Reply::status).allMatch(s -> s == 200 || s == 409);
    long acceptedHeartbeats =
        1 + replies.stream().filter(r -> r.ok() && r.body().contains("should_continue")).count();
    assertEndedOnce(job, "succeeded", null, acceptedHeartbeats);
  }

  @Test
  void cancelThenDoneEndsCancelledOnce() {
    long job = submit(600);
    assertThat(trainers.call(job, "heartbeat", heartbeat(job, 0)).status()).isEqualTo(200);
    awaitStatus(job, "running");
    assertThat(api.send("POST", "/v1/jobs/" + job + "/cancel", null).status()).isEqualTo(202);
    Reply next = trainers.call(job, "heartbeat", heartbeat(job, 1));
    assertThat(next.body()).contains("\"should_continue\":false");
    assertThat(trainers.call(job, "done", done(job, "succeeded")).status()).isEqualTo(200);
    assertEndedOnce(job, "cancelled", "cancelled_by_user", 2);
  }

  @Test
  void aSilentTrainerFailsWithinItsTimeoutPlusOneSecondAndALiveOneDoesNot() throws Exception {
    int timeout = 3;
    long silent = submit(timeout);
    long live = submit(timeout);
    for (int i = 0; i < 3; i++) {
      assertThat(trainers.call(silent, "heartbeat", heartbeat(silent, i)).status()).isEqualTo(200);
      assertThat(trainers.call(live, "heartbeat", heartbeat(live, i)).status()).isEqualTo(200);
      Thread.sleep(300);
    }
    // the live trainer keeps calling every 500 ms for 3 timeouts' worth; the silent one says
    // nothing
    int liveAccepted = 3;
    long until = System.currentTimeMillis() + 3 * timeout * 1000L;
    while (System.currentTimeMillis() < until) {
      assertThat(trainers.call(live, "heartbeat", heartbeat(live, 5)).status()).isEqualTo(200);
      liveAccepted++;
      Thread.sleep(500);
    }
    assertEndedOnce(silent, "failed", "heartbeat_timeout", 3);
    assertThat(facts.silenceBeforeEndMillis(silent))
        .isBetween(timeout * 1000L, timeout * 1000L + 1000);
    assertThat(trainers.wasStopped(silent)).isTrue();

    assertThat(facts.status(live)).isEqualTo("running");
    assertThat(trainers.call(live, "done", done(live, "succeeded")).status()).isEqualTo(200);
    assertEndedOnce(live, "succeeded", null, liveAccepted);
  }
}
