package dev.trainyard.workflows.messages;

/**
 * The workflow's single input. {@code carried} is null on the first run and holds the whole live
 * state when the workflow continues as new.
 */
public record TrainingJobInput(JobSpec spec, TrainingJobState carried) {
  public static TrainingJobInput start(JobSpec spec) {
    return new TrainingJobInput(spec, null);
  }
}
