package dev.trainyard.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * The time-skipping test server with the search attributes registered and one worker running the
 * real workflow against the recording job store and the scripted launcher: what the unit tests and
 * the history recorder both run on.
 */
final class WorkflowTestStack {
  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final RecordingJobStore store = new RecordingJobStore();
  final ScriptedLauncher launcher = new ScriptedLauncher();

  WorkflowTestStack(TestEnvironmentOptions options) {
    env = TestWorkflowEnvironment.newInstance(options);
    JobSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(TaskQueues.TRAINING_JOBS);
    worker.registerWorkflowImplementationTypes(TrainingJobWorkflowImpl.class);
    worker.registerActivitiesImplementations(store, launcher);
    env.start();
    client = env.getWorkflowClient();
  }
}
