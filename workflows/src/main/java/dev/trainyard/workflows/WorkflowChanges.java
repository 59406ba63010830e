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

  private WorkflowChanges() {}
}
