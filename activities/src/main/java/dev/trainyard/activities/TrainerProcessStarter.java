package dev.trainyard.activities;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Turns a job spec into a running trainer process: picks the configured command, mints the token,
 * builds the environment, and sends all output to the job's log file. Everything the user or the
 * configuration got wrong becomes a non-retryable {@code LaunchRejected}: retrying cannot fix it.
 */
final class TrainerProcessStarter {
  /** The setting that names the trainer command, quoted in errors so users know what to fix. */
  static final String COMMAND_SETTING = "TRAINYARD_TRAINER_COMMAND";

  private final LocalLauncherConfig config;
  private final CallbackTokenIssuer tokens;

  TrainerProcessStarter(LocalLauncherConfig config, CallbackTokenIssuer tokens) {
    this.config = config;
    this.tokens = tokens;
  }

  List<String> commandFor(String framework) {
    List<String> command =
        config.commandsByFramework().getOrDefault(framework, config.defaultCommand());
    if (command.isEmpty()) {
      throw rejected(
          "no trainer command for framework '"
              + framework
              + "': configure one in "
              + COMMAND_SETTING
              + " (or a per-framework command)");
    }
    return command;
  }

  Process start(List<String> command, LaunchRequest request, Path jobDirectory, Path logFile) {
    JobSpec spec = request.spec();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(jobDirectory.toFile())
            .redirectErrorStream(true)
            // Appended, so a relaunch keeps the earlier attempts' output (one log per job).
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    File devNull = new File("/dev/null");
    if (devNull.exists()) {
      // No pipe to this JVM at all: the trainer must not notice when the worker goes away.
      builder.redirectInput(devNull);
    }
    String token =
        tokens.mint(
            spec.jobId(),
            LaunchValidation.attempt(request),
            Duration.ofSeconds(spec.submitted().timeouts().tokenLifetimeSeconds()));
    TrainerEnvironment.apply(builder.environment(), request, token, config);
    try {
      return builder.start();
    } catch (IOException e) {
      throw rejected(
          "cannot start trainer command '"
              + command.get(0)
              + "' for framework '"
              + spec.submitted().framework()
              + "': "
              + e.getMessage()
              + " (check "
              + COMMAND_SETTING
              + ")");
    }
  }

  private static ApplicationFailure rejected(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.LAUNCH_REJECTED);
  }
}
