package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The seed's heartbeat body. Everything but trace_id is optional; metrics may be empty. */
// Like the seed's Pydantic models, extra fields are ignored: a trainer that sends more than the
// contract (a timestamp, a host name) must keep working.
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatRequest(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("epoch") Integer epoch,
    @JsonProperty("total_epochs") Integer totalEpochs,
    @JsonProperty("step") Integer step,
    @JsonProperty("total_steps") Integer totalSteps,
    @JsonProperty("progress") Double progress,
    @JsonProperty("metrics") Map<String, Object> metrics) {}
