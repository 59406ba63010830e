package dev.trainyard.activities;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.CheckpointSaved;
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
    attempt(request); // refuses an attempt out of range
    return spec;
  }

  /** The most attempts a launcher starts a trainer for (the API accepts tokens up to this). */
  public static final int MAX_ATTEMPT = 1000;

  /** The request's attempt: 1, 2, ...; 0 (a launch request from before retries existed) is 1. */
  public static int attempt(LaunchRequest request) {
    int attempt = request.attempt() == 0 ? 1 : request.attempt();
    if (attempt < 1 || attempt > MAX_ATTEMPT) {
      throw ApplicationFailure.newNonRetryableFailure(
          "launch request for attempt " + request.attempt() + "; attempts are 1.." + MAX_ATTEMPT,
          FailureTypes.LAUNCH_REJECTED);
    }
    return attempt;
  }

  /**
   * The checkpoint the attempt resumes from, or null for a fresh start (also when the request names
   * one without a URI, or an epoch before the first).
   */
  public static CheckpointSaved resumeFrom(LaunchRequest request) {
    CheckpointSaved from = request.resumeFrom();
    return from == null || from.uri() == null || from.uri().isBlank() || from.epoch() < 1
        ? null
        : from;
  }
}
