package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import dev.trainyard.workflows.messages.TrainingJobState;

/** Placeholder; being written. */
public class TrainingJobWorkflowImpl implements TrainingJobWorkflow {
  @Override
  public JobOutcome run(TrainingJobInput input) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void trainerCallback(TrainerCallback callback) {}

  @Override
  public void trainerDone(TrainerDone done) {}

  @Override
  public void cancel(CancelRequest request) {}

  @Override
  public TrainingJobState state() {
    return null;
  }
}
