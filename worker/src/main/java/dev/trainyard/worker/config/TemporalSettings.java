package dev.trainyard.worker.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The worker YAML's {@code temporal} block: the frontend to poll and the namespace. */
public final class TemporalSettings {
  @JsonProperty
  @NotNull
  @Pattern(regexp = "[^\\s:]+:\\d{1,5}", message = "must be host:port")
  private String target;

  /** Empty means "default", as an unset variable in {@code ${VAR:-default}} would give. */
  @JsonProperty private String namespace;

  public String target() {
    return target;
  }

  public String namespace() {
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  @Override
  public String toString() {
    return "Temporal[target=" + target + ", namespace=" + namespace() + "]";
  }
}
