package dev.trainyard.bench.launcher;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.LaunchValidation;
import dev.trainyard.activities.TrainerEnvironment;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runtime "simulated": a launcher that starts no process but hands each launch, with its real
 * callback token and the seed's environment, to the fleet simulator. Jobs launched this way are
 * real jobs (own row, own workflow, own token); only the trainer is virtual, which lets one machine
 * run ten thousand of them.
 *
 * <p>It cannot watch its trainers (the simulator may live in another process), so {@link
 * #awaitExit} reports {@link FailureTypes#WATCH_UNSUPPORTED}: liveness then rests on callbacks and
 * timers alone, exactly as for an externally started trainer.
 */
public final class SimulatedLauncher implements TrainerLauncher {
  public static final String RUNTIME = "simulated";

  private final CallbackTokenIssuer tokens;
  private final String backendBaseUrl;
  private final LaunchSink sink;

  public SimulatedLauncher(CallbackTokenIssuer tokens, String backendBaseUrl, LaunchSink sink) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.backendBaseUrl = Objects.requireNonNull(backendBaseUrl, "backendBaseUrl");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public TrainerHandle launch(LaunchRequest request) {
    JobSpec spec = request.spec();
    Map<String, String> env =
        new LinkedHashMap<>(TrainerEnvironment.jobVariables(request, backendBaseUrl));
    String token =
        tokens.mint(
            spec.jobId(),
            LaunchValidation.attempt(request),
            Duration.ofSeconds(spec.submitted().timeouts().tokenLifetimeSeconds()));
    env.put(TrainerEnvironment.CALLBACK_TOKEN, token);
    // The simulator keys trainers by job: a retried launch keeps the trainer the first one started.
    sink.launched(new SimulatedLaunch(spec.jobId(), env, System.currentTimeMillis()));
    return new TrainerHandle(RUNTIME, "sim-" + spec.jobId(), null);
  }

  @Override
  public TrainerExit awaitExit(TrainerHandle handle) {
    throw ApplicationFailure.newNonRetryableFailure(
        "simulated trainers are not watched; liveness comes from their callbacks",
        FailureTypes.WATCH_UNSUPPORTED);
  }

  @Override
  public void stop(StopRequest request) {
    sink.stop(jobIdOf(request.handle()));
  }

  static long jobIdOf(TrainerHandle handle) {
    if (!RUNTIME.equals(handle.runtime()) || !handle.ref().startsWith("sim-")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not a simulated trainer: " + handle.runtime() + " " + handle.ref(), "NotSimulated");
    }
    return Long.parseLong(handle.ref().substring(4));
  }
}
