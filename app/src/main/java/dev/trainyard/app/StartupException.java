package dev.trainyard.app;

/** A local component (configuration, database, Temporal, a port) could not be set up. */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
