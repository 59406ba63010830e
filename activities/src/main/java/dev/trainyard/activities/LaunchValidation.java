package dev.trainyard.activities;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.SubmittedSpec;
import io.temporal.failure.ApplicationFailure;

/**
 * A launch request missing what a trainer needs is the caller's bug: rejected, never retried.
 * Shared by every launcher.
 */
public final class LaunchValidation {
  private LaunchValidation() {}

  public static JobSpec validated(LaunchRequest request) {
    JobSpec spec = request == null ? null : request.spec();
    SubmittedSpec submitted = spec == null ? null : spec.submitted();
    String missing =
        submitted == null
            ? "spec"
            : spec.traceId() == null
                ? "trace_id"
                : submitted.framework() == null
                    ? "framework"
                    : submitted.modelName() == null
                        ? "model_name"
                        : submitted.datasetId() == null
                            ? "dataset_id"
                            : submitted.projectId() == null
                                ? "project_id"
                                : submitted.timeouts() == null ? "timeouts" : null;
    if (missing != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "launch request without " + missing, FailureTypes.LAUNCH_REJECTED);
    }
    return spec;
  }
}
