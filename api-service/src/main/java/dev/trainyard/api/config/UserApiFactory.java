package dev.trainyard.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The user-facing job API. */
public class UserApiFactory {
  @Min(1024)
  @Max(64L * 1024 * 1024)
  private long maxBodyBytes = 1024 * 1024;

  @JsonProperty
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  @JsonProperty
  public void setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }
}
