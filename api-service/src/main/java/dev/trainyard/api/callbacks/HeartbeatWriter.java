package dev.trainyard.api.callbacks;

import dev.trainyard.store.jobs.HeartbeatBatch;
import dev.trainyard.workflows.metrics.LatencyBuckets;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the common heartbeat: a running job's, with a matching trace id. Request threads
 * queue their heartbeat and wait; a writer thread takes whatever has queued while its previous
 * batch ran and writes it with one statement ({@link HeartbeatBatch}). The reply still waits for
 * the commit, so an accepted heartbeat is a persisted one; the batch only shares the round trip,
 * the transaction and the statement's planning among the heartbeats that arrived together. Progress
 * signals the batch marked due go to {@link ProgressSignals} once the replies are released.
 *
 * <p>Jobs are split over a few writers by id, so one slow batch does not hold up every heartbeat,
 * while a job's heartbeats stay on one writer and keep their order.
 *
 * <p>A heartbeat the batch did not apply (a job that is not running, a trace id or attempt that
 * does not match, or a batch that failed) comes back empty, having changed nothing; the caller then
 * takes the careful one-job path, which decides and explains the outcome.
 *
 * <p>Its meters ({@code trainyard_heartbeat_batch_*}, docs/operations.md) are recorded once per
 * batch by the writer thread, never per heartbeat by the request thread.
 */
public final class HeartbeatWriter implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatWriter.class);

  /** How long a request waits for its batch before answering 503 (the trainer retries). */
  private static final Duration MAX_WAIT = Duration.ofSeconds(20);

  private record Pending(
      HeartbeatBatch.Row row, CompletableFuture<Map<Long, HeartbeatBatch.Applied>> applied) {}

  private final HeartbeatBatch batch;
  private final ProgressSignals signals;
  private final int maxBatch;
  private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final DistributionSummary batchSizes;
  private final Timer batchDurations;
  private final Counter batchFailures;
  private volatile boolean running;

  public HeartbeatWriter(
      HeartbeatBatch batch,
      ProgressSignals signals,
      int maxBatch,
      int writers,
      MeterRegistry meters) {
    this.batch = batch;
    this.signals = signals;
    this.maxBatch = maxBatch;
    for (int i = 0; i < writers; i++) {
      queues.add(new LinkedBlockingQueue<>());
    }
    this.batchSizes =
        DistributionSummary.builder("trainyard.heartbeat.batch.size")
            .description("Heartbeats written by one group-commit statement")
            .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
            .register(meters);
    this.batchDurations =
        Timer.builder("trainyard.heartbeat.batch.duration")
            .description("Time of one group-commit batch: statement, commit and round trip")
            .serviceLevelObjectives(
                LatencyBuckets.between(Duration.ofMillis(1), Duration.ofSeconds(5)))
            .register(meters);
    this.batchFailures =
        Counter.builder("trainyard.heartbeat.batch.failures")
            .description("Batches that failed whole; their heartbeats were retried one by one")
            .register(meters);
    Gauge.builder("trainyard.heartbeat.queue.depth", queues, HeartbeatWriter::queued)
        .description("Heartbeats waiting for a group-commit writer")
        .register(meters);
  }

  private static double queued(List<BlockingQueue<Pending>> queues) {
    int queued = 0;
    for (BlockingQueue<Pending> queue : queues) {
      queued += queue.size();
    }
    return queued;
  }

  /**
   * Writes one heartbeat if the fast path applies. Present: persisted, with whether the job's
   * cancel was requested. Empty: nothing was written.
   */
  public Optional<Boolean> write(HeartbeatBatch.Row row) {
    if (!running) {
      return Optional.empty();
    }
    Pending pending = new Pending(row, new CompletableFuture<>());
    queues.get((int) Math.floorMod(row.jobId(), (long) queues.size())).add(pending);
    try {
      Map<Long, HeartbeatBatch.Applied> applied =
          pending.applied().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(applied.get(row.jobId()))
          .map(HeartbeatBatch.Applied::cancelRequested);
    } catch (TimeoutException e) {
      throw new HeartbeatBacklogException(MAX_WAIT);
    } catch (ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeartbeatBacklogException(MAX_WAIT);
    }
  }

  @Override
  public void start() {
    running = true;
    for (int i = 0; i < queues.size(); i++) {
      BlockingQueue<Pending> queue = queues.get(i);
      Thread writer = new Thread(() -> run(queue), "heartbeat-writer-" + i);
      writer.setDaemon(true);
      threads.add(writer);
      writer.start();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    for (Thread writer : threads) {
      writer.interrupt();
      writer.join(5_000);
    }
    threads.clear();
    for (BlockingQueue<Pending> queue : queues) {
      List<Pending> left = new ArrayList<>();
      queue.drainTo(left);
      left.forEach(p -> p.applied().complete(Map.of()));
    }
  }

  private void run(BlockingQueue<Pending> queue) {
    ArrayDeque<Pending> deferred = new ArrayDeque<>();
    while (running) {
      try {
        List<Pending> taken = new ArrayList<>();
        if (deferred.isEmpty()) {
          taken.add(queue.take());
        }
        queue.drainTo(taken, maxBatch);
        writeBatch(nextBatch(deferred, taken));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * At most one heartbeat per job in a batch, so each row's checks see exactly its own trace id and
   * a job's heartbeats keep their order; a job's second heartbeat waits for the next batch.
   */
  private List<Pending> nextBatch(ArrayDeque<Pending> deferred, List<Pending> taken) {
    List<Pending> candidates = new ArrayList<>(deferred);
    deferred.clear();
    candidates.addAll(taken);
    Set<Long> jobs = new HashSet<>();
    List<Pending> batchRows = new ArrayList<>();
    for (Pending pending : candidates) {
      if (batchRows.size() < maxBatch && jobs.add(pending.row().jobId())) {
        batchRows.add(pending);
      } else {
        deferred.add(pending);
      }
    }
    return batchRows;
  }

  private void writeBatch(List<Pending> rows) {
    long started = System.nanoTime();
    try {
      Map<Long, HeartbeatBatch.Applied> applied =
          batch.apply(rows.stream().map(Pending::row).toList());
      long took = System.nanoTime() - started;
      rows.forEach(p -> p.applied().complete(applied));
      batchDurations.record(took, TimeUnit.NANOSECONDS); // after the replies are released
      batchSizes.record(rows.size());
      for (Pending pending : rows) {
        HeartbeatBatch.Applied row = applied.get(pending.row().jobId());
        if (row != null && row.signalMarkedAt() != null) {
          HeartbeatBatch.Row beat = pending.row();
          signals.send(
              new ProgressSignals.Due(
                  beat.jobId(),
                  beat.epoch(),
                  beat.progress(),
                  row.signalMarkedAt(),
                  beat.attempt()));
        }
      }
    } catch (RuntimeException e) {
      // nothing of the batch committed; each heartbeat is retried alone and meets its own error
      batchFailures.increment();
      LOG.warn("heartbeat batch of {} failed, retrying one by one: {}", rows.size(), e.toString());
      rows.forEach(p -> p.applied().completeExceptionally(e));
    }
  }
}
