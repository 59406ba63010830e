package dev.trainyard.api.streams;

/**
 * One message of a job stream before it gets its client's id: an {@code event} carries its event
 * id, a {@code metric} its metric id, a {@code job} snapshot or {@code end} neither (0). {@code
 * data} is JSON, written once and shared by every client of the job.
 */
record StreamMessage(String event, long eventId, long metricId, String data) {
  static StreamMessage job(String data) {
    return new StreamMessage("job", 0, 0, data);
  }

  static StreamMessage event(long id, String data) {
    return new StreamMessage("event", id, 0, data);
  }

  static StreamMessage metric(long id, String data) {
    return new StreamMessage("metric", 0, id, data);
  }

  static StreamMessage end(String status) {
    return new StreamMessage("end", 0, 0, "{\"status\":\"" + status + "\"}");
  }

  boolean isEnd() {
    return "end".equals(event);
  }
}
