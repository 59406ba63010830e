package dev.trainyard.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The trainer-facing callback API. The secret is the HS256 key shared with the launcher that mints
 * callback tokens: its UTF-8 bytes are the key. Its length rule lives on the root configuration
 * because it depends on devMode.
 */
public class CallbackApiFactory {
  private String jwtSecret;

  /**
   * The application connector (by its port) that serves the callback routes and nothing else; the
   * other application connectors then serve the user routes and never a callback. Unset: every
   * application connector serves both, as the dev stack and the tests run. Production sets it so
   * that trainer pods can be let through to this port alone (docs/security.md).
   */
  @Min(1)
  @Max(65535)
  private Integer port;

  @Min(1024)
  @Max(64L * 1024 * 1024)
  private long maxBodyBytes = 256 * 1024;

  @JsonProperty
  public String getJwtSecret() {
    return jwtSecret;
  }

  @JsonProperty
  public void setJwtSecret(String jwtSecret) {
    this.jwtSecret = jwtSecret;
  }

  /**
   * How often, at most, a running job's heartbeats and events are also signalled to its workflow.
   */
  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.SECONDS)
  private io.dropwizard.util.Duration progressSignalInterval =
      io.dropwizard.util.Duration.seconds(30);

  @JsonProperty
  public io.dropwizard.util.Duration getProgressSignalInterval() {
    return progressSignalInterval;
  }

  @JsonProperty
  public void setProgressSignalInterval(io.dropwizard.util.Duration progressSignalInterval) {
    this.progressSignalInterval = progressSignalInterval;
  }

  /** The most heartbeats one group commit writes; more wait for the next statement. */
  @Min(1)
  @Max(10_000)
  private int maxHeartbeatBatch = 500;

  /** Group-commit writers (each one database connection); jobs are split among them by id. */
  @Min(1)
  @Max(64)
  private int heartbeatWriters = 2;

  @JsonProperty
  public int getHeartbeatWriters() {
    return heartbeatWriters;
  }

  @JsonProperty
  public void setHeartbeatWriters(int heartbeatWriters) {
    this.heartbeatWriters = heartbeatWriters;
  }

  @JsonProperty
  public int getMaxHeartbeatBatch() {
    return maxHeartbeatBatch;
  }

  @JsonProperty
  public void setMaxHeartbeatBatch(int maxHeartbeatBatch) {
    this.maxHeartbeatBatch = maxHeartbeatBatch;
  }

  @JsonProperty
  public Integer getPort() {
    return port;
  }

  @JsonProperty
  public void setPort(Integer port) {
    this.port = port;
  }

  @JsonProperty
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  @JsonProperty
  public void setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public byte[] secretBytes() {
    return jwtSecret == null ? new byte[0] : jwtSecret.getBytes(StandardCharsets.UTF_8);
  }

  // Never print the secret, whatever logs this object.
  @Override
  public String toString() {
    return "CallbackApiFactory{jwtSecret=<redacted>, port="
        + (port == null ? "every application connector" : port)
        + ", maxBodyBytes="
        + maxBodyBytes
        + "}";
  }
}
