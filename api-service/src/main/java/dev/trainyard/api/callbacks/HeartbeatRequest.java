package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The seed's heartbeat body. Everything but trace_id is optional; metrics may be empty. */
public record HeartbeatRequest(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("epoch") Integer epoch,
    @JsonProperty("total_epochs") Integer totalEpochs,
    @JsonProperty("step") Integer step,
    @JsonProperty("total_steps") Integer totalSteps,
    @JsonProperty("progress") Double progress,
    @JsonProperty("metrics") Map<String, Object> metrics) {}
