package dev.trainyard.activities;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import io.temporal.failure.ApplicationFailure;

/**
 * A launch request missing what a trainer needs is the caller's bug: rejected, never retried.
 * Shared by every launcher.
 */
public final class LaunchValidation {
  private LaunchValidation() {}

  public static JobSpec validated(LaunchRequest request) {
    JobSpec spec = request == null ? null : request.spec();
    String missing =
        spec == null
            ? "spec"
            : spec.traceId() == null
                ? "trace_id"
                : spec.framework() == null
                    ? "framework"
                    : spec.modelName() == null
                        ? "model_name"
                        : spec.datasetId() == null
                            ? "dataset_id"
                            : spec.projectId() == null
                                ? "project_id"
                                : spec.timeouts() == null ? "timeouts" : null;
    if (missing != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "launch request without " + missing, FailureTypes.LAUNCH_REJECTED);
    }
    return spec;
  }
}
