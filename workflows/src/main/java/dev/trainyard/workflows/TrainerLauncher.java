package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.activity.ActivityInterface;

/** Starts, watches and stops trainers: a local process or a Kubernetes Job. */
@ActivityInterface
public interface TrainerLauncher {

  /**
   * Starts the trainer with the seed's environment and a freshly minted callback token. Idempotent
   * per job: a retry adopts the trainer an earlier attempt started.
   */
  TrainerHandle launch(LaunchRequest request);

  /** Blocks until the trainer ends; heartbeats (for its own liveness only) while it waits. */
  TrainerExit awaitExit(TrainerHandle handle);

  /** Stops the trainer: politely, then by force after the grace. A gone trainer is fine. */
  void stop(StopRequest request);
}
