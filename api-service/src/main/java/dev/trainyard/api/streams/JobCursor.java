package dev.trainyard.api.streams;

import dev.trainyard.api.errors.InvalidRequestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job stream's client is: the last event id and metric id it received, sent as each
 * message's SSE id ({@code e41-m230}) and read back from {@code Last-Event-ID}.
 */
record JobCursor(long eventId, long metricId) {
  static final JobCursor START = new JobCursor(0, 0);
  private static final Pattern FORMAT = Pattern.compile("e(\\d{1,18})-m(\\d{1,18})");

  /** The cursor a reconnecting client sent; the start when it sent none. */
  static JobCursor parse(String lastEventId) {
    if (lastEventId == null || lastEventId.isEmpty()) {
      return START;
    }
    Matcher m = FORMAT.matcher(lastEventId);
    if (!m.matches()) {
      throw InvalidRequestException.field(
          "Last-Event-ID",
          "must be an id this job stream sent (e<event id>-m<metric id>); omit it to start over");
    }
    return new JobCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  JobCursor after(StreamMessage message) {
    return new JobCursor(
        Math.max(eventId, message.eventId()), Math.max(metricId, message.metricId()));
  }

  /** Whether the client already has this message (only events and metrics can repeat). */
  boolean covers(StreamMessage message) {
    return (message.eventId() > 0 && message.eventId() <= eventId)
        || (message.metricId() > 0 && message.metricId() <= metricId);
  }

  String id() {
    return "e" + eventId + "-m" + metricId;
  }
}
