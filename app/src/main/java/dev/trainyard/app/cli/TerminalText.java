package dev.trainyard.app.cli;

/**
 * Text from the API made safe for a terminal. What the CLI prints comes largely from trainers
 * (event types, messages, data, error messages, metric keys, log lines), and a terminal obeys
 * control characters: a CR or LF in a message can forge a line of its own ("ERROR ..."), an ANSI
 * escape can recolour, move the cursor, retitle the window or write the clipboard. So every printer
 * here shows them as visible escapes instead: {@code \n}, {@code \r}, {@code \t}, {@code \xNN} for
 * the other C0 controls, DEL and the C1 controls (U+0080 to U+009F, which some terminals read as
 * escapes too), {@code \}{@code uXXXX} for the bidirectional overrides that reorder what is shown.
 * A backslash itself is printed as it is: the output is for reading, not for parsing back (use
 * {@code --json} for that), and Windows paths stay readable.
 */
public final class TerminalText {
  private TerminalText() {}

  /** One field on one line: every control character escaped, line breaks included. */
  public static String escape(String text) {
    return escape(text, false);
  }

  /**
   * One line of a trainer's log ({@code trainyard logs}): the log's own line breaks have already
   * split it into lines (LF, CR and CRLF alike) and a tab stays a tab, as a log is read; every
   * other control character is escaped as in {@link #escape(String)}.
   */
  public static String logLine(String line) {
    return escape(line, true);
  }

  private static String escape(String text, boolean keepTabs) {
    if (text == null || text.codePoints().noneMatch(cp -> needsEscape(cp, keepTabs))) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            cp -> {
              if (!needsEscape(cp, keepTabs)) {
                out.appendCodePoint(cp);
              } else if (cp == '\n') {
                out.append("\\n");
              } else if (cp == '\r') {
                out.append("\\r");
              } else if (cp == '\t') {
                out.append("\\t");
              } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
              } else {
                out.append(String.format("\\u%04x", cp));
              }
            });
    return out.toString();
  }

  private static boolean needsEscape(int cp, boolean keepTabs) {
    if (cp == '\t') {
      return !keepTabs;
    }
    return Character.getType(cp) == Character.CONTROL || isBidiControl(cp);
  }

  /** U+061C, U+200E/F, U+202A to U+202E, U+2066 to U+2069: they reorder the text around them. */
  private static boolean isBidiControl(int cp) {
    return cp == 0x061c
        || cp == 0x200e
        || cp == 0x200f
        || (cp >= 0x202a && cp <= 0x202e)
        || (cp >= 0x2066 && cp <= 0x2069);
  }
}
