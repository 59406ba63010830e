package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of metrics, oldest first. */
public record MetricList(
    @JsonProperty("metrics") List<MetricView> metrics,
    @JsonProperty("next_after") Long nextAfter) {}
