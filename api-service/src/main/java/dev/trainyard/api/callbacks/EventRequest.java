package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The seed's event body. */
// Like the seed's Pydantic models, extra fields are ignored: a trainer that sends more than the
// contract (a timestamp, a host name) must keep working.
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventRequest(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("level") String level,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("message") String message,
    @JsonProperty("data") Map<String, Object> data) {}
