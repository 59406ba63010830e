package dev.trainyard.api.streams;

/**
 * The text of Server-Sent Events (the WHATWG "event stream" format). Data here is always one line
 * of JSON, so a frame is at most four short lines; a comment keeps idle connections open.
 */
final class SseFrames {
  static final String RETRY = "retry: 2000\n\n";
  static final String KEEPALIVE = ": keepalive\n\n";

  private SseFrames() {}

  static void append(StringBuilder out, String id, String event, String data) {
    if (id != null) {
      out.append("id: ").append(id).append('\n');
    }
    out.append("event: ").append(event).append('\n');
    out.append("data: ").append(data).append("\n\n");
  }

  static String frame(String id, String event, String data) {
    StringBuilder out = new StringBuilder(data.length() + 48);
    append(out, id, event, data);
    return out.toString();
  }
}
