package dev.trainyard.workflows;

/** Names shared by the API (which starts workflows) and the workers (which poll for them). */
public final class TaskQueues {
  public static final String TRAINING_JOBS = "trainyard-training-jobs";

  private TaskQueues() {}

  public static String workflowId(long jobId) {
    return "training-job-" + jobId;
  }
}
