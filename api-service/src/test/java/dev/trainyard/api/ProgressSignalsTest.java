package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.callbacks.ProgressSignals;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.store.jobs.ProgressSignalMarks;
import dev.trainyard.workflows.messages.TrainerCallback;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Progress signals leave after the reply, so they can be late; a late one would stretch the
 * workflow's view of the trainer's liveness. One that waited too long is not sent: its mark falls
 * due again, for a later heartbeat to retry with fresh progress.
 */
class ProgressSignalsTest extends ApiTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  private record Sent(long jobId, TrainerCallback callback) {}

  /** A running job whose signal mark the group commit has just set; returns that mark. */
  private static OffsetDateTime markedJob(long jobId) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery(
                    "UPDATE training_jobs SET status = 'running', callback_signalled_at = now() WHERE id = :id"
                        + " RETURNING callback_signalled_at")
                .bind("id", jobId)
                .mapTo(OffsetDateTime.class)
                .one());
  }

  private static OffsetDateTime markOf(long jobId) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery("SELECT callback_signalled_at FROM training_jobs WHERE id = :id")
                .bind("id", jobId)
                .mapTo(OffsetDateTime.class)
                .one());
  }

  @Test
  void aSignalStampedWithItsHeartbeatIsSentAndOneThatWaitedTooLongIsRetriedLater()
      throws Exception {
    long first = submitJob().get("job_id").asLong();
    long second = submitJob().get("job_id").asLong();
    OffsetDateTime firstMark = markedJob(first);
    OffsetDateTime secondMark = markedJob(second);
    List<Sent> sent = new CopyOnWriteArrayList<>();
    CountDownLatch engineSlow = new CountDownLatch(1);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ProgressSignals signals =
        new ProgressSignals(
            (jobId, callback) -> {
              sent.add(new Sent(jobId, callback));
              try {
                engineSlow.await(10, TimeUnit.SECONDS); // the only sender is busy with this one
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            new ProgressSignalMarks(STACK.jdbi, Clock.systemUTC(), INTERVAL),
            Clock.systemUTC(),
            1,
            meters);
    try {
      signals.send(new ProgressSignals.Due(first, 4, 40.0, firstMark, 1));
      signals.send(new ProgressSignals.Due(second, 7, 70.0, secondMark, 1));
      Thread.sleep(800); // longer than a signal may wait for a sender
      engineSlow.countDown();

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> markOf(second).isBefore(secondMark));
      assertThat(sent)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.jobId()).isEqualTo(first);
                assertThat(s.callback().epoch()).isEqualTo(4);
                assertThat(s.callback().receivedAtMillis())
                    .isEqualTo(firstMark.toInstant().toEpochMilli());
              });
      // due again 5 s after its mark, not 30 s: the next heartbeat after that retries it
      assertThat(markOf(second).toInstant())
          .isEqualTo(secondMark.toInstant().minus(INTERVAL).plusSeconds(5));
      assertThat(markOf(first)).isEqualTo(firstMark);
      // the first waited out the engine (over 800 ms); the second was dropped as stale
      assertThat(outcome(meters, "sent")).isEqualTo(1);
      assertThat(outcome(meters, "stale")).isEqualTo(1);
      assertThat(outcome(meters, "failed") + outcome(meters, "queue_full")).isZero();
      assertThat(meters.get("trainyard.progress.signal.lag").timer().count()).isEqualTo(1);
      assertThat(meters.get("trainyard.progress.signal.lag").timer().max(TimeUnit.MILLISECONDS))
          .isGreaterThanOrEqualTo(800);
    } finally {
      engineSlow.countDown();
      signals.stop();
    }
  }

  private static double outcome(SimpleMeterRegistry meters, String outcome) {
    return meters.get("trainyard.progress.signals").tag("outcome", outcome).counter().count();
  }
}
