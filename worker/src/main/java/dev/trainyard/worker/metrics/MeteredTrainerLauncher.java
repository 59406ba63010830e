package dev.trainyard.worker.metrics;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import dev.trainyard.workflows.metrics.LatencyBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Objects;

/**
 * The worker's launcher with its meters (docs/operations.md): {@code trainyard_trainer_launches_*}
 * for every launch attempt and {@code trainyard_trainer_exits_total{runtime,cause,exit}} for every
 * trainer end the launcher observed. A launch that an activity retry repeats is counted per
 * attempt, as the launcher saw it; the job's own outcome is in {@code
 * trainyard_job_transitions_total}. An activity cancelled or a worker shutting down is neither.
 */
public final class MeteredTrainerLauncher implements TrainerLauncher {
  /** The ApplicationFailure type the Kubernetes launcher throws while the cluster is away. */
  private static final String KUBERNETES_UNAVAILABLE = "KubernetesUnavailable";

  private final TrainerLauncher launcher;
  private final String runtime;
  private final MeterRegistry registry;
  private final Counter launches;
  private final Timer launchDurations;

  public MeteredTrainerLauncher(TrainerLauncher launcher, String runtime, MeterRegistry registry) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.runtime = runtime;
    this.registry = registry;
    this.launches =
        Counter.builder("trainyard.trainer.launches")
            .description("Trainers launched (or adopted after a worker restart)")
            .tag("runtime", runtime)
            .register(registry);
    this.launchDurations =
        Timer.builder("trainyard.trainer.launch.duration")
            .description("Time of one launch attempt, failed ones included")
            .tag("runtime", runtime)
            .serviceLevelObjectives(
                LatencyBuckets.between(Duration.ofMillis(10), Duration.ofSeconds(100)))
            .register(registry);
    // the causes the launchers name, so their series exist before the first failure
    launchFailures(FailureTypes.LAUNCH_REJECTED);
    launchFailures("error");
    if (runtime.equals("kubernetes")) {
      launchFailures(KUBERNETES_UNAVAILABLE);
    }
    exits("exited", "zero");
    exits("exited", "nonzero");
  }

  @Override
  public TrainerHandle launch(LaunchRequest request) {
    long started = System.nanoTime();
    try {
      TrainerHandle handle = launcher.launch(request);
      launches.increment();
      return handle;
    } catch (ActivityCompletionException cancelled) {
      throw cancelled;
    } catch (RuntimeException e) {
      launchFailures(cause(e)).increment();
      throw e;
    } finally {
      launchDurations.record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  @Override
  public TrainerExit awaitExit(TrainerHandle handle) {
    TrainerExit exit = launcher.awaitExit(handle);
    Integer code = exit.exitCode();
    exits(
            exit.cause() == null ? "unknown" : exit.cause(),
            code == null ? "unknown" : code == 0 ? "zero" : "nonzero")
        .increment();
    return exit;
  }

  @Override
  public void stop(StopRequest request) {
    launcher.stop(request);
  }

  /**
   * The failure's type, or "error" for anything else: a label takes few values, never a message.
   */
  private static String cause(RuntimeException e) {
    return e instanceof ApplicationFailure failure && failure.getType() != null
        ? failure.getType()
        : "error";
  }

  private Counter launchFailures(String cause) {
    return Counter.builder("trainyard.trainer.launch.failures")
        .description("Launch attempts that failed, by cause (the failure type)")
        .tag("runtime", runtime)
        .tag("cause", cause)
        .register(registry);
  }

  /** {@code cause}: the launcher's word (exited, killed, oom_killed, image_pull_failed, ...). */
  private Counter exits(String cause, String exitCode) {
    return Counter.builder("trainyard.trainer.exits")
        .description("Trainer ends the launcher observed, by cause and exit code (zero or not)")
        .tag("runtime", runtime)
        .tag("cause", cause)
        .tag("exit", exitCode)
        .register(registry);
  }
}
