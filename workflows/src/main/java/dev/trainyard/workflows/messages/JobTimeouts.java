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

  /** The largest values a submit may ask for; the API refuses more. */
  public static final long MAX_HEARTBEAT_TIMEOUT = 86_400;

  public static final long MAX_STARTUP_TIMEOUT = 86_400;
  public static final long MAX_MAX_RUNTIME = 30 * 86_400;
  public static final long MAX_CANCEL_GRACE = 3600;

  /** Time past the cancel grace the token stays valid, so the trainer's last calls get through. */
  private static final long TOKEN_MARGIN = 600;

  /**
   * The longest lifetime the launcher gives a callback token (a job with every timeout at its
   * maximum). The API refuses a token whose {@code exp - iat} claims more.
   */
  public static final long MAX_TOKEN_LIFETIME_SECONDS =
      tokenLifetimeSeconds(MAX_STARTUP_TIMEOUT, MAX_MAX_RUNTIME, MAX_CANCEL_GRACE);

  public static JobTimeouts defaults() {
    return new JobTimeouts(
        DEFAULT_HEARTBEAT_TIMEOUT,
        DEFAULT_STARTUP_TIMEOUT,
        DEFAULT_MAX_RUNTIME,
        DEFAULT_CANCEL_GRACE);
  }

  /** How long the trainer may need its token: start-up, the whole run, a cancel grace, a margin. */
  public long tokenLifetimeSeconds() {
    return tokenLifetimeSeconds(startupTimeoutSeconds, maxRuntimeSeconds, cancelGraceSeconds);
  }

  private static long tokenLifetimeSeconds(long startup, long maxRuntime, long cancelGrace) {
    return startup + maxRuntime + cancelGrace + TOKEN_MARGIN;
  }
}
