package dev.trainyard.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code retry:} block: what a job's retry policy is when its submit leaves a part out. {@code
 * defaultMaxAttempts} is the attempts of a job whose submit names none (1: a trainer that dies ends
 * the job, as before retries existed); a submit's own {@code retry.max_attempts} always wins.
 */
public class RetryDefaultsFactory {
  @Min(1)
  @Max(20)
  private int defaultMaxAttempts = 1;

  @JsonProperty
  public int getDefaultMaxAttempts() {
    return defaultMaxAttempts;
  }

  @JsonProperty
  public void setDefaultMaxAttempts(int defaultMaxAttempts) {
    this.defaultMaxAttempts = defaultMaxAttempts;
  }
}
