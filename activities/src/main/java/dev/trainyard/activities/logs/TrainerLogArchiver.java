package dev.trainyard.activities.logs;

import dev.trainyard.store.objects.TrainerLogArchive;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>The archive is one log per job, whatever its number of attempts. A local log file holds every
 * attempt already. A pod's log holds one attempt's output ({@link TrainerLogSource#oneAttempt}), so
 * for attempt n ≥ 2 the copy is the archived log of the earlier attempts (as archived when this
 * attempt's first copy was made, cut before this attempt's marker if a copy of it was archived
 * before, by a worker that has since restarted), the line {@code --- attempt n ---}, then the pod's
 * log. A copy of an earlier attempt than the job's latest one seen here is never uploaded.
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
    whileRunning(jobId, 1, source);
  }

  /** {@link #whileRunning(long, TrainerLogSource)} for one attempt of the job. */
  public void whileRunning(long jobId, int attempt, TrainerLogSource source) {
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
          copyNow(job, attempt, source);
        });
  }

  /** The trainer ended: one last copy in the background, after any still running for the job. */
  public void atEnd(long jobId, TrainerLogSource source) {
    atEnd(jobId, 1, source);
  }

  /** {@link #atEnd(long, TrainerLogSource)} for one attempt of the job. */
  public void atEnd(long jobId, int attempt, TrainerLogSource source) {
    if (archive == null) {
      return;
    }
    JobCopies job = jobs.computeIfAbsent(jobId, JobCopies::new);
    submit(
        () -> {
          copyNow(job, attempt, source);
          jobs.remove(jobId, job);
          job.forgetEarlier();
        });
  }

  /** A copy on this thread, now: the log is about to go (its pod is being deleted). */
  public void now(long jobId, TrainerLogSource source) {
    now(jobId, 1, source);
  }

  /** {@link #now(long, TrainerLogSource)} for one attempt of the job. */
  public void now(long jobId, int attempt, TrainerLogSource source) {
    if (archive != null) {
      JobCopies job = jobs.computeIfAbsent(jobId, JobCopies::new);
      copyNow(job, attempt, source);
      job.forgetEarlier();
    }
  }

  private void submit(Runnable copy) {
    try {
      copies.execute(copy);
    } catch (RejectedExecutionException e) {
      log.debug("worker stopping: trainer log copy skipped");
    }
  }

  private void copyNow(JobCopies job, int attempt, TrainerLogSource source) {
    // One copy of a job at a time, so an older copy never lands after a newer one.
    synchronized (job.lock) {
      if (attempt < job.attempt) {
        log.debug(
            "job {}: log copy of attempt {} after attempt {}; skipped",
            job.id,
            attempt,
            job.attempt);
        return;
      }
      if (attempt > job.attempt) {
        job.nextAttempt(attempt);
      }
      try {
        Object version = source.version();
        if (version != null && version.equals(job.version)) {
          return;
        }
        try (InputStream in = withEarlierAttempts(job, attempt, source);
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

  /** The source's log, after the earlier attempts' when it holds one attempt's alone. */
  private InputStream withEarlierAttempts(JobCopies job, int attempt, TrainerLogSource source)
      throws IOException {
    if (attempt < 2 || !source.oneAttempt()) {
      return source.open();
    }
    if (job.earlier == null) {
      job.earlier = earlierAttempts(job.id, attempt);
    }
    InputStream earlier = Files.newInputStream(job.earlier);
    try {
      return new SequenceInputStream(earlier, source.open());
    } catch (IOException | RuntimeException e) {
      earlier.close();
      throw e;
    }
  }

  /**
   * A temporary file: the archived log up to this attempt's marker (a copy of this attempt archived
   * before a worker restart is dropped), then the marker.
   */
  private Path earlierAttempts(long jobId, int attempt) throws IOException {
    Path file = Files.createTempFile("trainyard-log-earlier-", ".log");
    String marker = TrainerLogSource.attemptMarker(attempt);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      Optional<InputStream> archived = archive.open(jobId);
      if (archived.isPresent()) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(archived.get(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null && !line.equals(marker)) {
            out.write(line);
            out.write('\n');
          }
        }
      }
      out.write(marker);
      out.write('\n');
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
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

    /** The latest attempt of the job this worker copied a log of. */
    int attempt = 1;

    /** The earlier attempts' log, for copies of a one-attempt source; null until needed. */
    Path earlier;

    JobCopies(long id) {
      this.id = id;
    }

    /** A new attempt's log starts: it may be shorter than the last copy of the previous one. */
    void nextAttempt(int next) {
      attempt = next;
      bytes = 0;
      version = null;
      forgetEarlier();
    }

    void forgetEarlier() {
      synchronized (lock) {
        if (earlier != null) {
          try {
            Files.deleteIfExists(earlier);
          } catch (IOException e) {
            log.debug("cannot delete {}: {}", earlier, e.toString());
          }
          earlier = null;
        }
      }
    }
  }
}
