package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.MetricRecord;

/** One metrics report; epoch -1 is the final report from done. */
public record MetricView(
    @JsonProperty("id") long id,
    @JsonProperty("epoch") int epoch,
    @JsonProperty("step") int step,
    @JsonProperty("metrics") JsonNode metrics,
    @JsonProperty("created_at") String createdAt) {

  public static MetricView of(MetricRecord metric, JsonText json) {
    return new MetricView(
        metric.id(),
        metric.epoch(),
        metric.step(),
        json.read(metric.metrics()),
        JobView.iso(metric.createdAt()));
  }
}
