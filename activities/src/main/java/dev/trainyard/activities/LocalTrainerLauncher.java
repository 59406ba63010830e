package dev.trainyard.activities;

import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.activities.logs.TrainerLogSource;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trainers as local processes (the laptop and dev-stack runtime). The trainer's output goes to
 * a file, not a pipe, and its pid to a pid file ({@link TrainerPidFile}), so it outlives a worker
 * crash and the next worker adopts it instead of starting a second one.
 *
 * <p>Each attempt of a job is a fresh process in the same job folder: its output is appended to the
 * job's one log after a line {@code --- attempt N ---} (attempt 1 has none), and its pid goes to
 * the attempt's own pid file, so a retried launch adopts its own attempt's trainer and never an
 * earlier attempt's. An earlier attempt's trainer still alive when the next attempt starts (its
 * stop failed) is killed: two trainers must not write into one job folder.
 */
public final class LocalTrainerLauncher implements TrainerLauncher {
  public static final String RUNTIME = "local";
  public static final String COMMAND_SETTING = TrainerProcessStarter.COMMAND_SETTING;
  static final String LOG_FILE = "trainer.log";
  private static final String JOB_FOLDER_PREFIX = "job-";
  private static final long POLL_MILLIS = 500;
  private static final int REMEMBERED_EXITS = 1024;
  private static final Logger log = LoggerFactory.getLogger(LocalTrainerLauncher.class);

  private final LocalLauncherConfig config;
  private final TrainerProcessStarter starter;
  private final TrainerLogArchiver archiver;

  /** Trainers this JVM started: only for those does Java know the real exit code. */
  private final Map<Long, Process> children = new ConcurrentHashMap<>();

  /** Exit codes of recently finished children, so a retried awaitExit still reports them. */
  private final Map<Long, Integer> recentExits =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
              return size() > REMEMBERED_EXITS;
            }
          });

  /** Trace ids of the trainers this JVM launched or adopted, for the log lines of later calls. */
  private final Map<Long, String> traceIds = new ConcurrentHashMap<>();

  public LocalTrainerLauncher(LocalLauncherConfig config, CallbackTokenIssuer tokens) {
    this(config, tokens, TrainerLogArchiver.off());
  }

  /** Trainer logs copied to the object store by {@code archiver} while they run and at the end. */
  public LocalTrainerLauncher(
      LocalLauncherConfig config, CallbackTokenIssuer tokens, TrainerLogArchiver archiver) {
    this.config = Objects.requireNonNull(config, "config");
    this.starter = new TrainerProcessStarter(config, Objects.requireNonNull(tokens, "tokens"));
    this.archiver = Objects.requireNonNull(archiver, "archiver");
  }

  @Override
  public TrainerHandle launch(LaunchRequest request) {
    JobSpec spec = LaunchValidation.validated(request);
    int attempt = LaunchValidation.attempt(request);
    try (TraceMdc ignored = TraceMdc.of(spec.jobId(), spec.traceId())) {
      List<String> command = starter.commandFor(spec.submitted().framework());
      Path jobDirectory = config.jobsDirectory().resolve(JOB_FOLDER_PREFIX + spec.jobId());
      Path logFile = jobDirectory.resolve(LOG_FILE);
      TrainerPidFile pidFile = new TrainerPidFile(jobDirectory, attempt);
      // One launch at a time, so two racing tries of a launch cannot both miss the pid file.
      synchronized (this) {
        Files.createDirectories(jobDirectory);
        Optional<ProcessHandle> running = pidFile.liveTrainer();
        if (running.isPresent()) {
          log.info(
              "job {}: adopting running trainer pid {} (attempt {})",
              spec.jobId(),
              running.get().pid(),
              attempt);
          traceIds.put(running.get().pid(), spec.traceId());
          return handle(running.get().pid(), logFile);
        }
        stopOtherAttempts(spec.jobId(), attempt, pidFile);
        if (attempt >= 2) {
          Files.writeString(
              logFile,
              TrainerLogSource.attemptMarker(attempt) + "\n",
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
        Process process = starter.start(command, request, jobDirectory, logFile);
        children.put(process.pid(), process);
        traceIds.put(process.pid(), spec.traceId());
        try {
          pidFile.write(process.pid());
        } catch (IOException e) {
          // Without a pid file a retry could not find it and would start a second trainer.
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw e;
        }
        log.info(
            "job {}: started trainer pid {} ({}, attempt {}), log {}",
            spec.jobId(),
            process.pid(),
            command.get(0),
            attempt,
            logFile);
        return handle(process.pid(), logFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the trainer's job directory", e);
    }
  }

  /**
   * A trainer of a later attempt means this launch is stale: refused. One of an earlier attempt
   * should have been stopped before this attempt began; it is killed now.
   */
  private void stopOtherAttempts(long jobId, int attempt, TrainerPidFile pidFile) {
    for (TrainerPidFile.Named other : pidFile.otherLiveTrainers()) {
      if (other.attempt() > attempt) {
        throw ApplicationFailure.newNonRetryableFailure(
            "job "
                + jobId
                + ": attempt "
                + attempt
                + " cannot start, attempt "
                + other.attempt()
                + "'s trainer (pid "
                + other.process().pid()
                + ") is running",
            FailureTypes.LAUNCH_REJECTED);
      }
      log.warn(
          "job {}: attempt {}'s trainer pid {} still running as attempt {} starts; killing it",
          jobId,
          other.attempt(),
          other.process().pid(),
          attempt);
      other.process().descendants().forEach(ProcessHandle::destroyForcibly);
      other.process().destroyForcibly();
    }
  }

  @Override
  public TrainerExit awaitExit(TrainerHandle handle) {
    long pid = pidOf(handle);
    long jobId = jobIdOf(handle);
    TrainerLogSource trainerLog = TrainerLogSource.file(Path.of(handle.logLocation()));
    ActivityHeartbeats heartbeats = ActivityHeartbeats.current();
    try (TraceMdc ignored = TraceMdc.of(jobId, traceIds.get(pid))) {
      Integer exitCode;
      Process child = children.get(pid);
      if (child != null) {
        while (!child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          heartbeats.beat("trainer pid " + pid + " running");
          archiver.whileRunning(jobId, trainerLog);
        }
        exitCode = child.exitValue();
        recentExits.put(pid, exitCode);
        children.remove(pid);
      } else {
        exitCode = recentExits.get(pid);
        // Not our child (adopted after a restart): poll it; its exit code is the kernel's secret.
        Optional<ProcessHandle> adopted =
            exitCode == null ? trainer(handle, pid) : Optional.empty();
        while (adopted.isPresent() && adopted.get().isAlive()) {
          heartbeats.beat("trainer pid " + pid + " running");
          archiver.whileRunning(jobId, trainerLog);
          Thread.sleep(POLL_MILLIS);
        }
      }
      String cause = killedBySignal(exitCode) ? "killed" : "exited";
      log.info("trainer pid {} {} with code {}", pid, cause, exitCode);
      archiver.atEnd(jobId, trainerLog);
      traceIds.remove(pid);
      return new TrainerExit(
          exitCode, cause, LogTail.read(Path.of(handle.logLocation())), System.currentTimeMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  @Override
  public void stop(StopRequest request) {
    TrainerHandle handle = Objects.requireNonNull(request, "request").handle();
    long pid = pidOf(handle);
    long jobId = jobIdOf(handle);
    try (TraceMdc ignored = TraceMdc.of(jobId, traceIds.get(pid))) {
      Process child = children.get(pid);
      Optional<ProcessHandle> process =
          child != null ? Optional.of(child.toHandle()) : trainer(handle, pid);
      if (process.isEmpty() || !process.get().isAlive()) {
        log.info("trainer pid {} already gone", pid);
      } else {
        ProcessTreeStopper.stop(
            process.get(),
            Duration.ofSeconds(Math.max(0, request.graceSeconds())),
            ActivityHeartbeats.current());
      }
      // What it wrote while stopping, or all of it when no watch copied it at its exit.
      archiver.atEnd(jobId, TrainerLogSource.file(Path.of(handle.logLocation())));
    }
  }

  /** Shells and Java report a death by signal n as exit code 128 + n. */
  private static boolean killedBySignal(Integer exitCode) {
    return exitCode != null && exitCode > 128 && exitCode <= 128 + 64;
  }

  /** The trainer named by a pid file beside its log, if it is still running. */
  private static Optional<ProcessHandle> trainer(TrainerHandle handle, long pid) {
    Path jobDirectory = Path.of(handle.logLocation()).getParent();
    return TrainerPidFile.liveTrainer(jobDirectory, pid);
  }

  private static TrainerHandle handle(long pid, Path logFile) {
    return new TrainerHandle(RUNTIME, Long.toString(pid), logFile.toString());
  }

  /** The job id in the log's folder name ({@code job-<id>}); 0 when the folder is no job's. */
  private static long jobIdOf(TrainerHandle handle) {
    Path folder = Path.of(handle.logLocation()).getParent();
    String name = folder == null ? "" : folder.getFileName().toString();
    try {
      return name.startsWith(JOB_FOLDER_PREFIX)
          ? Long.parseLong(name.substring(JOB_FOLDER_PREFIX.length()))
          : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long pidOf(TrainerHandle handle) {
    Objects.requireNonNull(handle, "handle");
    if (!RUNTIME.equals(handle.runtime()) || handle.logLocation() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not a local trainer handle: " + handle, FailureTypes.LAUNCH_REJECTED);
    }
    try {
      return Long.parseLong(handle.ref());
    } catch (NumberFormatException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "local trainer handle has no pid: " + handle.ref(), FailureTypes.LAUNCH_REJECTED);
    }
  }
}
