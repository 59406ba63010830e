package dev.trainyard.workflows;

import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One training job, id {@code training-job-{job_id}}: owns the job's state machine. */
@WorkflowInterface
public interface TrainingJobWorkflow {

  @WorkflowMethod
  JobOutcome run(TrainingJobInput input);

  /** A heartbeat or event the API accepted. */
  @SignalMethod
  void trainerCallback(TrainerCallback callback);

  /** The trainer's {@code done}. The first one wins; later ones are ignored. */
  @SignalMethod
  void trainerDone(TrainerDone done);

  /**
   * A checkpoint the trainer saved and the API checked; the next attempt resumes from the latest.
   * Signals of an attempt other than the current one are ignored, as are callbacks and dones.
   */
  @SignalMethod
  void trainerCheckpoint(CheckpointSaved checkpoint);

  @SignalMethod
  void cancel(CancelRequest request);

  /**
   * The job's live state for people and tools; never the launcher's internals (see {@link
   * JobStateView}). Queries are not recorded in history, so this view may change freely.
   */
  @QueryMethod
  JobStateView state();
}
