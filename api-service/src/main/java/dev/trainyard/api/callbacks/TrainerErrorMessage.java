package dev.trainyard.api.callbacks;

/**
 * What a trainer's {@code done} error becomes as the job's {@code error_message}: one line a user
 * can act on, whatever the trainer sent. A trainer that puts its whole traceback (file system paths
 * included) into {@code error} must not show it to every user of the job; the traceback belongs in
 * the trainer's log. The full report is kept unchanged in {@code done_report}, which is not served.
 */
final class TrainerErrorMessage {
  /** Longer than any message line worth reading; a whole log pasted into one line is cut here. */
  static final int MAX_CHARS = 1000;

  private static final String PYTHON_TRACEBACK = "Traceback (most recent call last):";

  private TrainerErrorMessage() {}

  /**
   * The first non-blank line, or for a Python traceback its last one (the exception's own line:
   * "FileNotFoundError: dataset demo-shapes not found"), cut to {@link #MAX_CHARS}. Null or blank
   * stays null: the workflow then says that no error was given.
   */
  static String of(String error) {
    if (error == null || error.isBlank()) {
      return null;
    }
    String[] lines = error.strip().split("\\R");
    String line = lines[0].strip().startsWith(PYTHON_TRACEBACK) ? lastNonBlank(lines) : lines[0];
    line = line.strip();
    if (line.length() <= MAX_CHARS) {
      return line;
    }
    int end = Character.isHighSurrogate(line.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return line.substring(0, end) + "…";
  }

  private static String lastNonBlank(String[] lines) {
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i];
      }
    }
    return lines[0];
  }
}
