package dev.trainyard.api.streams;

import dev.trainyard.api.logs.LogSlice;

/**
 * One message of a job stream before it gets its client's id: an {@code event} carries its event
 * id, a {@code metric} its metric id, a {@code log} its lines and where they end in the file, a
 * {@code job} snapshot or {@code end} none of these (0). {@code data} is JSON, written once and
 * shared by every client of the job.
 */
record StreamMessage(String event, long eventId, long metricId, LogSlice log, String data) {
  static StreamMessage job(String data) {
    return new StreamMessage("job", 0, 0, null, data);
  }

  static StreamMessage event(long id, String data) {
    return new StreamMessage("event", id, 0, null, data);
  }

  static StreamMessage metric(long id, String data) {
    return new StreamMessage("metric", 0, id, null, data);
  }

  static StreamMessage log(LogSlice slice, String data) {
    return new StreamMessage("log", 0, 0, slice, data);
  }

  static StreamMessage end(String status) {
    return new StreamMessage("end", 0, 0, null, "{\"status\":\"" + status + "\"}");
  }

  boolean isEnd() {
    return "end".equals(event);
  }

  long logEnd() {
    return log == null ? 0 : log.end();
  }
}
