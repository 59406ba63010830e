package dev.trainyard.workflows.messages;

/**
 * Start the trainer for attempt {@code attempt} (1-based) of this job, resumed from {@code
 * resumeFrom} (null: from the start). The launcher mints the callback token itself, so no token
 * ever enters workflow history. Histories recorded before attempts existed hold only the spec: the
 * attempt then reads 0 and means 1, as it reads here.
 */
public record LaunchRequest(JobSpec spec, int attempt, CheckpointSaved resumeFrom) {
  public LaunchRequest {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt, from the start. */
  public LaunchRequest(JobSpec spec) {
    this(spec, 1, null);
  }
}
