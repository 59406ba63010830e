package dev.trainyard.workflows;

/**
 * The change ids that {@link TrainingJobWorkflowImpl} passes to {@code Workflow.getVersion}: one
 * per change that must coexist with jobs already running. Each says what its versions changed and
 * when the old branch may go. The convention is in docs/workflow-versioning.md.
 */
final class WorkflowChanges {
  /**
   * Version 1: a run no longer upserts all five search attributes when it starts. The workflow's
   * start sets them ({@link JobSearchAttributes#atStart}), continue-as-new carries them, and the
   * workflow upserts only the status as it changes. {@code DEFAULT_VERSION}: the upsert that runs
   * started before this change recorded first. Retire it when no such run is open.
   */
  static final String SEARCH_ATTRIBUTES_SET_AT_START = "search-attributes-set-at-start";

  /**
   * Version 1: a job runs in attempts (issue 16). Each attempt is recorded ({@code
   * JobStore.attemptStarted} before its launch, {@code attemptEnded} when it ends), a failure that
   * the job's retry policy covers stops the trainer, waits a backoff and launches the next attempt
   * from the latest checkpoint, and a trainer's exit cause keeps its own reason ({@code
   * oom_killed}, {@code evicted}, ...). {@code DEFAULT_VERSION}: one attempt, no attempt records,
   * every exit {@code trainer_exited}. Asked once per run, before its first launch; a run continued
   * as new takes version 1. Retire the old branch when no run started before this change is open.
   */
  static final String ATTEMPTS = "attempts";

  private WorkflowChanges() {}
}
