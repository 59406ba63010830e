package dev.trainyard.api.support;

import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.TrainingJobWorkflow;
import dev.trainyard.workflows.messages.CancelRequest;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobOutcome;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.TrainerCallback;
import dev.trainyard.workflows.messages.TrainerDone;
import dev.trainyard.workflows.messages.TrainingJobInput;
import dev.trainyard.workflows.messages.TrainingJobState;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the real workflow (tested in workflows/): records what the API started and every
 * signal it delivered, per workflow id, so tests can assert on them. It ends after a done, like the
 * real one, so later signals meet a closed workflow.
 */
public class RecordingWorkflow implements TrainingJobWorkflow {
  public static final Map<String, TrainingJobInput> STARTED = new ConcurrentHashMap<>();
  public static final Map<String, SearchAttributes> ATTRIBUTES = new ConcurrentHashMap<>();
  public static final Map<String, List<Object>> SIGNALS = new ConcurrentHashMap<>();

  private boolean done;

  public static List<Object> signals(String workflowId) {
    return List.copyOf(SIGNALS.getOrDefault(workflowId, List.of()));
  }

  @Override
  public JobOutcome run(TrainingJobInput input) {
    String id = Workflow.getInfo().getWorkflowId();
    if (!Workflow.isReplaying()) {
      STARTED.put(id, input);
      ATTRIBUTES.put(id, Workflow.getTypedSearchAttributes());
    }
    Workflow.await(() -> done);
    return new JobOutcome(input.spec().jobId(), JobStatus.SUCCEEDED, null, null);
  }

  @Override
  public void trainerCallback(TrainerCallback callback) {
    record(callback);
  }

  @Override
  public void trainerDone(TrainerDone trainerDone) {
    record(trainerDone);
    done = true;
  }

  @Override
  public void trainerCheckpoint(CheckpointSaved checkpoint) {
    record(checkpoint);
  }

  @Override
  public void cancel(CancelRequest request) {
    record(request);
  }

  @Override
  public JobStateView state() {
    return JobStateView.of(new TrainingJobState());
  }

  private static void record(Object signal) {
    if (!Workflow.isReplaying()) {
      SIGNALS
          .computeIfAbsent(Workflow.getInfo().getWorkflowId(), k -> new CopyOnWriteArrayList<>())
          .add(signal);
    }
  }
}
