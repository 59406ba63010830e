package dev.trainyard.workflows;

/** {@code ApplicationFailure} types that activities throw and the workflow reacts to. */
public final class FailureTypes {
  /** The job record is in a state the requested transition cannot start from. Not retryable. */
  public static final String INVALID_TRANSITION = "InvalidTransition";

  /**
   * The trainer cannot be started (bad command, unknown framework, rejected spec). Not retryable.
   */
  public static final String LAUNCH_REJECTED = "LaunchRejected";

  /**
   * The launcher cannot observe its trainers (an externally started trainer, say). Liveness then
   * rests on callbacks and timers alone. Not retryable.
   */
  public static final String WATCH_UNSUPPORTED = "WatchUnsupported";

  private FailureTypes() {}
}
