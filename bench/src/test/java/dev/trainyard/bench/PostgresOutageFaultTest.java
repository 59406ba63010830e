package dev.trainyard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.bench.sim.BenchJob;
import dev.trainyard.bench.sim.CallbackClient.Reply;
import dev.trainyard.bench.sim.FleetSimulator;
import dev.trainyard.bench.sim.VirtualTrainer;
import dev.trainyard.bench.stack.BenchAccess;
import dev.trainyard.bench.stack.InProcessStack;
import dev.trainyard.bench.support.JobFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops for 20 s while trainers heartbeat (every 250 ms) and one of them reports done:
 * the API refuses what it cannot persist (503, the trainer retries), accepts again once the
 * database is back, and every job still ends exactly once in its right state with every accepted
 * heartbeat persisted.
 */
class PostgresOutageFaultTest {
  static final Duration OUTAGE = Duration.ofSeconds(20);
  static FleetSimulator fleet = new FleetSimulator(Duration.ofMillis(250), 128, 64);
  static InProcessStack stack;
  static JobFacts facts;

  @BeforeAll
  static void start() throws Exception {
    stack = InProcessStack.start(fleet, Duration.ofSeconds(2));
    facts = new JobFacts(stack.jdbi());
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
    stack.close();
  }

  @Test
  void jobsSurviveTwentySecondsWithoutPostgres() throws Exception {
    ApiClient api = BenchJob.client(stack.apiUrl(), BenchAccess.adminKey(stack.jdbi()));
    List<Long> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      jobs.add(BenchJob.submit(api, 60));
    }
    for (long job : jobs) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(facts.status(job)));
    }
    Map<Long, Long> acceptedBefore = new HashMap<>();
    jobs.forEach(job -> acceptedBefore.put(job, fleet.trainer(job).accepted.get()));
    long refusedBefore = refused();

    stack.stopDatabase();
    long outageStart = System.currentTimeMillis();
    // One trainer finishes during the outage and retries its done until it is accepted.
    VirtualTrainer finisher = fleet.trainer(jobs.get(0));
    CompletableFuture<Reply> doneInOutage =
        CompletableFuture.supplyAsync(() -> doneUntilAnswered(finisher, Duration.ofSeconds(90)));
    Thread.sleep(OUTAGE.toMillis());
    long acceptedDuringOutage =
        jobs.stream().mapToLong(j -> fleet.trainer(j).accepted.get()).sum()
            - acceptedBefore.values().stream().mapToLong(Long::longValue).sum();
    stack.startDatabase();
    long outageMillis = System.currentTimeMillis() - outageStart;

    assertThat(outageMillis).isGreaterThanOrEqualTo(OUTAGE.toMillis());
    assertThat(refused())
        .as("heartbeats refused while PostgreSQL was down")
        .isGreaterThan(refusedBefore);
    // in-flight calls may finish just after the stop; nothing more
    assertThat(acceptedDuringOutage).isLessThan(64);
    assertThat(doneInOutage.get().status()).isEqualTo(200);

    for (long job : jobs.subList(1, jobs.size())) {
      long before = fleet.trainer(job).accepted.get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fleet.trainer(job).accepted.get() > before + 2);
    }
    for (long job : jobs.subList(1, jobs.size())) {
      assertThat(fleet.finish(fleet.trainer(job), true).get().status()).isEqualTo(200);
    }
    for (long job : jobs) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(facts.status(job)));
    }
    Thread.sleep(1000);
    for (long job : jobs) {
      VirtualTrainer trainer = fleet.trainer(job);
      assertThat(facts.terminalTransitions(job)).as("job %d", job).containsExactly("succeeded");
      assertThat(facts.failureReason(job)).isNull();
      // every heartbeat answered 200 is a row; a row beyond that could only be one whose reply
      // was lost in the outage, and none may exceed what was sent
      assertThat(facts.heartbeatMetricRows(job))
          .as("job %d metric rows", job)
          .isGreaterThanOrEqualTo(trainer.acceptedWithMetrics.get())
          .isLessThanOrEqualTo(trainer.sent.get());
    }
  }

  private static long refused() {
    return fleet.heartbeatStatusCounts().entrySet().stream()
        .filter(
            e ->
                !e.getKey().equals("200")
                    && !e.getKey().equals("skipped_busy")
                    && !e.getKey().equals("throttled"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static Reply doneUntilAnswered(VirtualTrainer trainer, Duration patience) {
    long deadline = System.currentTimeMillis() + patience.toMillis();
    while (true) {
      try {
        Reply reply = fleet.finish(trainer, true).join();
        if (reply.status() != 503 || System.currentTimeMillis() > deadline) {
          return reply;
        }
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
