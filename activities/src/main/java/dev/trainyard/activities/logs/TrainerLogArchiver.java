package dev.trainyard.activities.logs;

import dev.trainyard.store.objects.TrainerLogArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies trainer logs to the object store from the launcher's side, so a log outlives its pod or
 * its machine even when the trainer dies hard: every {@code interval} while the launcher watches
 * the trainer, and once when it ends. Copies run on their own threads (a large upload must not hold
 * up the watch's heartbeats), one at a time per job, and a copy shorter than one already made is
 * not uploaded (a log only grows; a pod log cut short by the pod's deletion must not replace it).
 */
public final class TrainerLogArchiver implements AutoCloseable {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(TrainerLogArchiver.class);

  private final TrainerLogArchive archive;
  private final long intervalNanos;
  private final ExecutorService copies;
  private final Map<Long, JobCopies> jobs = new ConcurrentHashMap<>();

  public TrainerLogArchiver(TrainerLogArchive archive, Duration interval, int threads) {
    this.archive = Objects.requireNonNull(archive, "archive");
    this.intervalNanos = interval.toNanos();
    this.copies =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "trainer-log-archive");
              thread.setDaemon(true);
              return thread;
            });
  }

  private TrainerLogArchiver() {
    this.archive = null;
    this.intervalNanos = Long.MAX_VALUE;
    this.copies = null;
  }

  /** No storage configured: logs stay where the trainer wrote them. */
  public static TrainerLogArchiver off() {
    return new TrainerLogArchiver();
  }

  public boolean enabled() {
    return archive != null;
  }

  /** From the watch loop: starts a copy in the background once the last one is interval old. */
  public void whileRunning(long jobId, TrainerLogSource source) {
    if (archive == null) {
      return;
    }
    JobCopies job = jobs.computeIfAbsent(jobId, JobCopies::new);
    long now = System.nanoTime();
    synchronized (job) {
      if (job.queued || now - job.startedAt < intervalNanos) {
        return;
      }
      job.queued = true;
      job.startedAt = now;
    }
    submit(
        () -> {
          synchronized (job) {
            job.queued = false;
          }
          copyNow(job, source);
        });
  }

  /** The trainer ended: one last copy in the background, after any still running for the job. */
  public void atEnd(long jobId, TrainerLogSource source) {
    if (archive == null) {
      return;
    }
    JobCopies job = jobs.computeIfAbsent(jobId, JobCopies::new);
    submit(
        () -> {
          copyNow(job, source);
          jobs.remove(jobId, job);
        });
  }

  /** A copy on this thread, now: the log is about to go (its pod is being deleted). */
  public void now(long jobId, TrainerLogSource source) {
    if (archive != null) {
      copyNow(jobs.computeIfAbsent(jobId, JobCopies::new), source);
    }
  }

  private void submit(Runnable copy) {
    try {
      copies.execute(copy);
    } catch (RejectedExecutionException e) {
      log.debug("worker stopping: trainer log copy skipped");
    }
  }

  private void copyNow(JobCopies job, TrainerLogSource source) {
    // One copy of a job at a time, so an older copy never lands after a newer one.
    synchronized (job.lock) {
      try {
        Object version = source.version();
        if (version != null && version.equals(job.version)) {
          return;
        }
        try (InputStream in = source.open();
            TrainerLogArchive.Copy copy = TrainerLogArchive.copy(in)) {
          if (copy.logBytes() < job.bytes) {
            log.debug("job {}: log copy shorter than the archived one; kept the archived", job.id);
            return;
          }
          archive.put(job.id, copy);
          job.bytes = copy.logBytes();
          job.version = version;
          log.debug("job {}: trainer log archived ({} bytes)", job.id, copy.logBytes());
        }
      } catch (NoSuchFileException e) {
        // Not written yet; the next copy finds it.
      } catch (IOException | RuntimeException e) {
        if (!job.warned) {
          job.warned = true;
          log.warn(
              "job {}: cannot archive the trainer log to {}: {}",
              job.id,
              archive.url(job.id),
              e.toString());
        }
      }
    }
  }

  /** Lets copies under way finish (a job's last copy above all), then stops. */
  @Override
  public void close() throws InterruptedException {
    if (copies == null) {
      return;
    }
    copies.shutdown();
    if (!copies.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("trainer log copies still running after {}; abandoned", CLOSE_GRACE);
      copies.shutdownNow();
    }
  }

  /** What this worker knows of one job's copies. */
  private static final class JobCopies {
    final long id;
    final Object lock = new Object();
    long startedAt = System.nanoTime() - Long.MAX_VALUE / 2;
    boolean queued;
    long bytes;
    Object version;
    boolean warned;

    JobCopies(long id) {
      this.id = id;
    }
  }
}
