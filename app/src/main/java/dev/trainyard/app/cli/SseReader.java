package dev.trainyard.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Parses a {@code text/event-stream} body into {@link SseEvent}s, as the HTML standard's
 * event-stream interpretation does: lines end with LF, CRLF or CR; a blank line dispatches the
 * message; {@code :} starts a comment (the server's keepalive); {@code data:} lines are joined with
 * newlines; {@code id:} sets the last event id and {@code retry:} the reconnection delay. A message
 * cut off by the end of the stream is dropped, never half-delivered. Not thread-safe, except {@link
 * #lastLineNanos()}, which another thread may read to notice a silent connection.
 */
public final class SseReader {
  private final BufferedReader lines;
  private final StringBuilder data = new StringBuilder();
  private String type = "";
  private String lastEventId;
  private long retryMillis = -1;
  private boolean first = true;
  private volatile long lastLineNanos = System.nanoTime();

  public SseReader(InputStream body) {
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next message; null at the end of the stream. */
  public SseEvent next() throws IOException {
    while (true) {
      String line = lines.readLine();
      if (line == null) {
        return null;
      }
      lastLineNanos = System.nanoTime();
      if (first && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      first = false;
      if (line.isEmpty()) {
        SseEvent event = dispatch();
        if (event != null) {
          return event;
        }
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        field(field, value.startsWith(" ") ? value.substring(1) : value);
      }
    }
  }

  /** The delay the server asked for with {@code retry:}, in milliseconds; -1 when it did not. */
  public long retryMillis() {
    return retryMillis;
  }

  /** When the last line (a comment included) arrived, in {@link System#nanoTime()} terms. */
  public long lastLineNanos() {
    return lastLineNanos;
  }

  private void field(String field, String value) {
    switch (field) {
      case "event" -> type = value;
      case "data" -> data.append(value).append('\n');
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value.isEmpty() ? null : value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.length() < 10 && value.chars().allMatch(this::isDigit)) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> {
        // unknown fields are ignored, as the standard says
      }
    }
  }

  private boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private SseEvent dispatch() {
    if (data.length() == 0) {
      type = "";
      return null;
    }
    String payload = data.substring(0, data.length() - 1);
    SseEvent event = new SseEvent(lastEventId, type.isEmpty() ? "message" : type, payload);
    data.setLength(0);
    type = "";
    return event;
  }
}
