package dev.trainyard.app.cli;

/**
 * A problem the CLI found before (or instead of) asking the API: no API key, a credentials file
 * others can read, an option that is needed here. Its message is one line saying what to do; {@code
 * trainyard} prints it as {@code error: <message>} and exits with {@link #exitCode()}.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
