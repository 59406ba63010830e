package dev.trainyard.worker.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The worker YAML's {@code admin} block: where the worker serves {@code GET /healthcheck} and
 * {@code GET /metrics} (docs/operations.md). Port 0 turns it off; without the block it is off too.
 * Bound to 127.0.0.1 unless told otherwise, like the API's admin connector: open it only to the
 * probes and the monitoring.
 */
public final class AdminSettings {
  @JsonProperty @NotBlank private String bindHost = "127.0.0.1";

  @JsonProperty
  @Min(0)
  @Max(65535)
  private int port;

  public String bindHost() {
    return bindHost;
  }

  public int port() {
    return port;
  }

  public boolean enabled() {
    return port > 0;
  }

  @Override
  public String toString() {
    return "Admin[" + (enabled() ? bindHost + ":" + port : "off") + "]";
  }
}
