package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.EventRecord;

/** One entry of a job's event log. */
public record EventView(
    @JsonProperty("id") long id,
    @JsonProperty("job_id") long jobId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("source") String source,
    @JsonProperty("level") String level,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("message") String message,
    @JsonProperty("data") JsonNode data,
    @JsonProperty("created_at") String createdAt) {

  public static EventView of(EventRecord event, JsonText json) {
    return new EventView(
        event.id(),
        event.jobId(),
        event.traceId(),
        event.source(),
        event.level(),
        event.eventType(),
        event.message(),
        json.read(event.data()),
        JobView.iso(event.createdAt()));
  }
}
