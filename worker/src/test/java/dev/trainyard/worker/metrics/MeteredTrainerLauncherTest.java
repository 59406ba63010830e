package dev.trainyard.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What each launch and exit adds up to, failures by their type and never by their message. */
class MeteredTrainerLauncherTest {
  private static final TrainerHandle HANDLE = new TrainerHandle("local", "42", "/tmp/x.log");

  private final Deque<Supplier<TrainerHandle>> launches = new ArrayDeque<>();
  private final Deque<TrainerExit> exits = new ArrayDeque<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MeteredTrainerLauncher launcher =
      new MeteredTrainerLauncher(
          new TrainerLauncher() {
            @Override
            public TrainerHandle launch(LaunchRequest request) {
              return launches.pop().get();
            }

            @Override
            public TrainerExit awaitExit(TrainerHandle handle) {
              return exits.pop();
            }

            @Override
            public void stop(StopRequest request) {}
          },
          "local",
          registry);

  @Test
  void launchesAndFailuresAreCountedByCauseAndACancelledActivityIsNeither() {
    launches.add(() -> HANDLE);
    launches.add(
        () -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "cannot start /secret/path", FailureTypes.LAUNCH_REJECTED);
        });
    launches.add(
        () -> {
          throw new IllegalStateException("Job trainyard-job-7 conflicted on create but is gone");
        });
    launches.add(
        () -> {
          throw new ActivityCanceledException();
        });

    assertThat(launcher.launch(null)).isEqualTo(HANDLE);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> launcher.launch(null)).isInstanceOf(RuntimeException.class);
    }

    assertThat(count("trainyard.trainer.launches")).isEqualTo(1);
    assertThat(failures("LaunchRejected")).isEqualTo(1);
    assertThat(failures("error")).isEqualTo(1);
    assertThat(registry.find("trainyard.trainer.launch.failures").counters())
        .as("no cause from a message, nor one for the cancellation")
        .hasSize(2);
    assertThat(registry.get("trainyard.trainer.launch.duration").timer().count()).isEqualTo(4);
  }

  @Test
  void exitsAreCountedByCauseAndWhetherTheCodeWasZero() {
    exits.add(new TrainerExit(0, "exited", "", 1L));
    exits.add(new TrainerExit(137, "oom_killed", "", 1L));
    exits.add(new TrainerExit(null, "image_pull_failed", "", 1L));

    for (int i = 0; i < 3; i++) {
      launcher.awaitExit(HANDLE);
    }

    assertThat(exits("exited", "zero")).isEqualTo(1);
    assertThat(exits("exited", "nonzero")).isZero();
    assertThat(exits("oom_killed", "nonzero")).isEqualTo(1);
    assertThat(exits("image_pull_failed", "unknown")).isEqualTo(1);
  }

  private double count(String name) {
    return registry.get(name).tag("runtime", "local").counter().count();
  }

  private double failures(String cause) {
    return registry
        .get("trainyard.trainer.launch.failures")
        .tag("runtime", "local")
        .tag("cause", cause)
        .counter()
        .count();
  }

  private double exits(String cause, String exit) {
    return registry
        .get("trainyard.trainer.exits")
        .tag("runtime", "local")
        .tag("cause", cause)
        .tag("exit", exit)
        .counter()
        .count();
  }
}
