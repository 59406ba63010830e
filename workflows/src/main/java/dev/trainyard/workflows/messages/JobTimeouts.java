package dev.trainyard.workflows.messages;

/**
 * Per-job liveness limits, in seconds. The workflow enforces them with durable timers; the launcher
 * derives the callback token's lifetime from them.
 */
public record JobTimeouts(
    long heartbeatTimeoutSeconds,
    long startupTimeoutSeconds,
    long maxRuntimeSeconds,
    long cancelGraceSeconds) {

  public static final long DEFAULT_HEARTBEAT_TIMEOUT = 600;
  public static final long DEFAULT_STARTUP_TIMEOUT = 900;
  public static final long DEFAULT_MAX_RUNTIME = 24 * 3600;
  public static final long DEFAULT_CANCEL_GRACE = 60;

  public static JobTimeouts defaults() {
    return new JobTimeouts(
        DEFAULT_HEARTBEAT_TIMEOUT,
        DEFAULT_STARTUP_TIMEOUT,
        DEFAULT_MAX_RUNTIME,
        DEFAULT_CANCEL_GRACE);
  }

  /** How long the trainer may need its token: start-up, the whole run, a cancel grace, a margin. */
  public long tokenLifetimeSeconds() {
    return startupTimeoutSeconds + maxRuntimeSeconds + cancelGraceSeconds + 600;
  }
}
