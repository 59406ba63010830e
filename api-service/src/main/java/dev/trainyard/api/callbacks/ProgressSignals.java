package dev.trainyard.api.callbacks;

import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.store.jobs.ProgressSignalMarks;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.metrics.LatencyBuckets;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a running job's periodic progress signal after its heartbeat has been answered. The
 * heartbeat that made the signal due was already persisted, and the workflow reads {@code
 * last_callback_at} before it fails a trainer as silent, so liveness does not depend on this
 * signal; it only brings the workflow's progress view (its query, the Temporal UI) up to date. Sent
 * before the reply, it tied every thirtieth-second heartbeat's latency to the engine's, and made
 * the trainer retry a persisted heartbeat whenever the engine was down.
 *
 * <p>The group commit marks the signal sent ({@link ProgressSignalMarks}) in the heartbeat's own
 * statement, so the job's next heartbeats do not ask again. A signal that cannot be sent (the
 * engine is down, or the queue is full) moves the mark back so that it falls due again after {@link
 * #RETRY_AFTER}: a later heartbeat retries it, and a trainer that goes quiet leaves nothing to
 * retry. A job's first callback, which starts it, is still signalled before its reply.
 *
 * <p>A signal that waited in the queue longer than {@link #MAX_QUEUED} is not sent but retried the
 * same way: the workflow stamps a signalled callback with its own clock, so a late signal would
 * make a trainer look alive for as long as the signal was late, and a queue that keeps up badly
 * (the engine slow, the senders too few) would make every signal late.
 *
 * <p>Meters (docs/operations.md): {@code trainyard_progress_signal_lag_seconds}, from the queue to
 * the engine's answer, and {@code trainyard_progress_signals_total{outcome}}, where every outcome
 * but {@code sent} and {@code workflow_closed} is a signal dropped and left for a later heartbeat.
 */
public final class ProgressSignals implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressSignals.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  static final Duration MAX_QUEUED = Duration.ofMillis(500);
  private static final int QUEUE = 10_000;
  private static final Duration LOG_EVERY = Duration.ofSeconds(30);

  /**
   * A due signal: the heartbeat's progress, the attempt that sent it and when the group commit
   * marked it sent.
   */
  public record Due(
      long jobId, Integer epoch, Double progress, OffsetDateTime markedAt, int attempt) {}

  /** Sends one signal to the job's workflow ({@code JobWorkflows::trainerCallback}). */
  @FunctionalInterface
  public interface Sender {
    void send(long jobId, TrainerCallback callback);
  }

  private final Sender sender;
  private final ProgressSignalMarks marks;
  private final Clock clock;
  private final AtomicLong failedSinceLog = new AtomicLong();
  private final AtomicLong lastLoggedAt = new AtomicLong();
  private final ThreadPoolExecutor senders;
  private final Timer lag;
  private final Counter sent;
  private final Counter workflowClosed;
  private final Counter queueFull;
  private final Counter stale;
  private final Counter failed;

  public ProgressSignals(
      Sender sender, ProgressSignalMarks marks, Clock clock, int threads, MeterRegistry meters) {
    this.sender = sender;
    this.marks = marks;
    this.clock = clock;
    this.senders =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            daemon("progress-signal"));
    this.lag =
        Timer.builder("trainyard.progress.signal.lag")
            .description("From a due progress signal's queueing to the engine's answer")
            .serviceLevelObjectives(
                LatencyBuckets.between(Duration.ofMillis(5), Duration.ofSeconds(10)))
            .register(meters);
    this.sent = outcome(meters, "sent");
    this.workflowClosed = outcome(meters, "workflow_closed");
    this.queueFull = outcome(meters, "queue_full");
    this.stale = outcome(meters, "stale");
    this.failed = outcome(meters, "failed");
    Gauge.builder("trainyard.progress.signal.queue.depth", senders, s -> s.getQueue().size())
        .description("Due progress signals waiting for a sender")
        .register(meters);
  }

  private static Counter outcome(MeterRegistry meters, String outcome) {
    return Counter.builder("trainyard.progress.signals")
        .description(
            "Due progress signals by outcome; all but sent and workflow_closed were dropped")
        .tag("outcome", outcome)
        .register(meters);
  }

  /** Queues the signal; never blocks the heartbeat that made it due. */
  public void send(Due due) {
    long queuedAt = System.nanoTime();
    try {
      senders.execute(() -> deliver(due, queuedAt));
    } catch (RejectedExecutionException e) {
      queueFull.increment();
      retryLater(due, "the signal queue is full");
    }
  }

  private void deliver(Due due, long queuedAt) {
    if (System.nanoTime() - queuedAt > MAX_QUEUED.toNanos()) {
      stale.increment();
      retryLater(
          due,
          "it waited more than " + MAX_QUEUED.toMillis() + " ms for a sender (the engine is slow)");
      return;
    }
    try {
      // received when its group-commit statement ran: the mark is that transaction's now()
      long receivedAt = due.markedAt().toInstant().toEpochMilli();
      sender.send(
          due.jobId(),
          new TrainerCallback(
              TrainerCallback.Kind.HEARTBEAT,
              receivedAt,
              due.epoch(),
              due.progress(),
              due.attempt()));
      lag.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
      sent.increment();
    } catch (ConflictException e) {
      // the workflow has just closed: the job is ending, nothing to bring up to date
      workflowClosed.increment();
    } catch (RuntimeException e) {
      failed.increment();
      retryLater(due, e.getMessage());
    }
  }

  /** Moves the mark back so the signal is due again RETRY_AFTER from now, unless it moved since. */
  private void retryLater(Due due, String why) {
    try {
      marks.dueAgainAfter(due.jobId(), due.markedAt(), RETRY_AFTER);
    } catch (RuntimeException e) {
      why = why + "; and the retry could not be recorded: " + e.getMessage();
    }
    noteFailure(due.jobId(), why);
  }

  /** One line per LOG_EVERY at most: with the engine down, every running job fails each retry. */
  private void noteFailure(long jobId, String why) {
    long failed = failedSinceLog.incrementAndGet();
    long now = clock.millis();
    long last = lastLoggedAt.get();
    if (now - last >= LOG_EVERY.toMillis() && lastLoggedAt.compareAndSet(last, now)) {
      failedSinceLog.addAndGet(-failed);
      LOG.warn(
          "{} progress signal(s) not sent, retried by later heartbeats (latest: job {}: {})",
          failed,
          jobId,
          why);
    }
  }

  @Override
  public void start() {}

  @Override
  public void stop() throws InterruptedException {
    senders.shutdown();
    senders.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong count = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
