package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launcher whose trainers are futures the test completes: "exit" a trainer with {@link #exit}. A
 * stop completes the trainer as killed, like the real launchers do.
 */
final class ScriptedLauncher implements TrainerLauncher {
  final List<Long> launches = new CopyOnWriteArrayList<>();
  final List<LaunchRequest> requests = new CopyOnWriteArrayList<>();

  /** Attempts whose every launch try fails as a transient error (the activity's retries too). */
  final java.util.Set<Integer> failingAttempts = ConcurrentHashMap.newKeySet();

  final List<StopRequest> stops = new CopyOnWriteArrayList<>();
  final Map<String, CompletableFuture<TrainerExit>> trainers = new ConcurrentHashMap<>();
  volatile boolean rejectLaunch;

  /** Whether awaitExit watches trainers (tests of exits) or refuses to (tests of timers). */
  volatile boolean watching;

  @Override
  public TrainerHandle launch(LaunchRequest request) {
    if (rejectLaunch) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no trainer command for framework " + request.spec().submitted().framework(),
          FailureTypes.LAUNCH_REJECTED);
    }
    long jobId = request.spec().jobId();
    if (failingAttempts.contains(request.attempt())) {
      throw ApplicationFailure.newFailure("the cluster is unreachable", "Unreachable");
    }
    launches.add(jobId);
    requests.add(request);
    String ref = ref(jobId, request.attempt());
    trainers.computeIfAbsent(ref, r -> new CompletableFuture<>());
    return new TrainerHandle("scripted", ref, "/logs/job-" + jobId + ".log");
  }

  /**
   * Watches only when the test asks for it: while an activity runs, the test server cannot skip
   * time, so tests of timers leave their trainers unwatched (as a launcher that cannot watch).
   */
  @Override
  public TrainerExit awaitExit(TrainerHandle handle) {
    if (!watching) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this test does not watch its trainer", FailureTypes.WATCH_UNSUPPORTED);
    }
    CompletableFuture<TrainerExit> trainer = trainers.get(handle.ref());
    try {
      while (true) {
        try {
          return trainer.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          Activity.getExecutionContext().heartbeat(null);
        }
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop(StopRequest request) {
    stops.add(request);
    exit(request.handle().ref(), 137, "killed");
  }

  void exit(String ref, Integer code, String cause) {
    exit(ref, code, cause, "last line of the log");
  }

  void exit(String ref, Integer code, String cause, String logTail) {
    trainers
        .computeIfAbsent(ref, r -> new CompletableFuture<>())
        .complete(new TrainerExit(code, cause, logTail, 0));
  }

  static String ref(long jobId) {
    return "pid-" + jobId;
  }

  /** Each attempt's trainer is another process: attempt 1 keeps the job's name. */
  static String ref(long jobId, int attempt) {
    return attempt <= 1 ? ref(jobId) : ref(jobId) + "-a" + attempt;
  }
}
