package dev.trainyard.api.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The API YAML's {@code prometheus} block ({@code metrics} is Dropwizard's own): whether the admin
 * port's {@code /metrics} serves Prometheus text. Off, every meter is a no-op and {@code /metrics}
 * answers 404; it exists so the fleet bench can measure what the meters cost (docs/benchmarks.md).
 */
public class PrometheusFactory {
  private boolean enabled = true;

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
