package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The seed's done body. Serialised with every field (nulls too) into done_report, so an identical
 * retry compares equal to the stored report.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
// Like the seed's Pydantic models, extra fields are ignored: a trainer that sends more than the
// contract (a timestamp, a host name) must keep working.
@JsonIgnoreProperties(ignoreUnknown = true)
public record DoneRequest(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("status") String status,
    @JsonProperty("error") String error,
    @JsonProperty("final_metrics") Map<String, Object> finalMetrics,
    @JsonProperty("artifacts") Map<String, String> artifacts,
    @JsonProperty("mlflow_run_id") String mlflowRunId,
    @JsonProperty("training_time_seconds") Integer trainingTimeSeconds) {

  public boolean succeeded() {
    return "succeeded".equals(status);
  }
}
