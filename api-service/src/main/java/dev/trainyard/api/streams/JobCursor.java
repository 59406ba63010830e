package dev.trainyard.api.streams;

import dev.trainyard.api.errors.InvalidRequestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job stream's client is: the last event id and metric id it received and, when it streams
 * the trainer log, the byte offset its log lines reached. Sent as each message's SSE id ({@code
 * e41-m230}, or {@code e41-m230-l10293} with logs) and read back from {@code Last-Event-ID}.
 *
 * @param logOffset -1 when the client has no log position (it gets the log's tail first)
 */
record JobCursor(long eventId, long metricId, long logOffset, boolean logs) {
  private static final Pattern FORMAT =
      Pattern.compile("e(\\d{1,18})-m(\\d{1,18})(?:-l(\\d{1,18}))?");

  /** The cursor a reconnecting client sent; the start when it sent none. */
  static JobCursor parse(String lastEventId, boolean logs) {
    if (lastEventId == null || lastEventId.isEmpty()) {
      return new JobCursor(0, 0, -1, logs);
    }
    Matcher m = FORMAT.matcher(lastEventId);
    if (!m.matches()) {
      throw InvalidRequestException.field(
          "Last-Event-ID",
          "must be an id this job stream sent (e<event id>-m<metric id>[-l<log offset>]); omit it"
              + " to start over");
    }
    long log = m.group(3) == null ? -1 : Long.parseLong(m.group(3));
    return new JobCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), log, logs);
  }

  JobCursor after(StreamMessage message) {
    return new JobCursor(
        Math.max(eventId, message.eventId()),
        Math.max(metricId, message.metricId()),
        message.log() == null ? logOffset : Math.max(logOffset, message.logEnd()),
        logs);
  }

  JobCursor withLogOffset(long offset) {
    return new JobCursor(eventId, metricId, offset, logs);
  }

  JobCursor withEvent(long id) {
    return new JobCursor(id, metricId, logOffset, logs);
  }

  JobCursor withMetric(long id) {
    return new JobCursor(eventId, id, logOffset, logs);
  }

  /** Whether the client already has this event or metric (job snapshots and ends never repeat). */
  boolean covers(StreamMessage message) {
    return (message.eventId() > 0 && message.eventId() <= eventId)
        || (message.metricId() > 0 && message.metricId() <= metricId);
  }

  String id() {
    String id = "e" + eventId + "-m" + metricId;
    return logs && logOffset >= 0 ? id + "-l" + logOffset : id;
  }
}
