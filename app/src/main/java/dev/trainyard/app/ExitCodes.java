package dev.trainyard.app;

/**
 * Process exit codes, chosen so scripts can tell a job's outcome from a CLI problem. Picocli's own
 * usage code (2) is moved to {@link #USAGE} because 2 means "cancelled" here.
 */
public final class ExitCodes {
  public static final int SUCCEEDED = 0;
  public static final int JOB_FAILED = 1;
  public static final int JOB_CANCELLED = 2;

  /**
   * The API rejected the request (validation, unknown job, conflict, a refused key, a role too
   * low), or there was no API key to send.
   */
  public static final int REQUEST_REJECTED = 3;

  /** The API could not be reached or answered with a server error. */
  public static final int API_UNAVAILABLE = 4;

  /** A local problem: bad configuration, a port in use, a component that did not start. */
  public static final int STARTUP_FAILED = 5;

  public static final int USAGE = 64;

  private ExitCodes() {}

  /** The exit code for a job that ended in {@code status} (a wire name). */
  public static int forJobStatus(String status) {
    return switch (status) {
      case "succeeded" -> SUCCEEDED;
      case "cancelled" -> JOB_CANCELLED;
      default -> JOB_FAILED;
    };
  }
}
