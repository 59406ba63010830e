package dev.trainyard.workflows;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/** Walks a workflow's continue-as-new chain backwards (the test server has no list API). */
final class WorkflowRuns {
  private WorkflowRuns() {}

  /** History length of every run, oldest first. */
  static List<Integer> historyLengths(WorkflowClient client, String workflowId) {
    List<Integer> lengths = new ArrayList<>();
    WorkflowExecutionHistory run = client.fetchHistory(workflowId);
    while (true) {
      List<HistoryEvent> events = run.getEvents();
      lengths.add(0, events.size());
      String previous =
          events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return lengths;
      }
      run = client.fetchHistory(workflowId, previous);
    }
  }
}
