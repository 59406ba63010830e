package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The seed's event body. */
public record EventRequest(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("level") String level,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("message") String message,
    @JsonProperty("data") Map<String, Object> data) {}
