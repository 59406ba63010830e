package dev.trainyard.api.temporal;

import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.TemporalUnavailableException;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.TrainingJobWorkflow;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.util.function.Consumer;

/**
 * The API's only door to Temporal: starts a job's workflow and delivers signals to it, turning
 * Temporal's failures into answers the caller understands (503 retry later, 409 job finished).
 */
public final class JobWorkflows {
  private final WorkflowClient client;

  public JobWorkflows(WorkflowClient client) {
    this.client = client;
  }

  /** Starts the job's workflow; an already started one (an idempotent retry) is fine. */
  public void start(JobSpec spec) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.TRAINING_JOBS)
            .setWorkflowId(TaskQueues.workflowId(spec.jobId()))
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setTypedSearchAttributes(JobSearchAttributes.atStart(spec))
            .build();
    TrainingJobWorkflow workflow = client.newWorkflowStub(TrainingJobWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, TrainingJobInput.start(spec));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // the same job submitted again (idempotency key): its workflow exists, nothing to do
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new TemporalUnavailableException("could not start the job's workflow", e);
    }
  }

  public void trainerCallback(long jobId, TrainerCallback callback) {
    signal(jobId, workflow -> workflow.trainerCallback(callback));
  }

  public void trainerDone(long jobId, TrainerDone done) {
    signal(jobId, workflow -> workflow.trainerDone(done));
  }

  public void trainerCheckpoint(long jobId, CheckpointSaved checkpoint) {
    signal(jobId, workflow -> workflow.trainerCheckpoint(checkpoint));
  }

  public void cancel(long jobId, CancelRequest request) {
    signal(jobId, workflow -> workflow.cancel(request));
  }

  private void signal(long jobId, Consumer<TrainingJobWorkflow> send) {
    TrainingJobWorkflow workflow =
        client.newWorkflowStub(TrainingJobWorkflow.class, TaskQueues.workflowId(jobId));
    try {
      send.accept(workflow);
    } catch (WorkflowNotFoundException e) {
      // the row is not terminal yet, but the workflow has closed: the job is ending right now
      throw new ConflictException("job " + jobId + " has already finished");
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new TemporalUnavailableException("could not signal the job's workflow", e);
    } catch (WorkflowException e) {
      throw new TemporalUnavailableException("could not signal the job's workflow", e);
    }
  }
}
