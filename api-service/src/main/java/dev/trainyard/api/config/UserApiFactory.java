package dev.trainyard.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The user-facing job API. */
public class UserApiFactory {
  @Min(1024)
  @Max(64L * 1024 * 1024)
  private long maxBodyBytes = 1024 * 1024;

  /** Live streams one replica serves at once; beyond, a new stream is answered 503. */
  @Min(1)
  @Max(100_000)
  private int maxStreamClients = 1_000;

  /**
   * How often an idle stream gets a keepalive comment (below proxies' idle timeouts), and how soon
   * the stream of a revoked or expired key ends.
   */
  @Min(1)
  @Max(300)
  private int streamKeepaliveSeconds = 15;

  @JsonProperty
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  @JsonProperty
  public void setMaxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @JsonProperty
  public int getMaxStreamClients() {
    return maxStreamClients;
  }

  @JsonProperty
  public void setMaxStreamClients(int maxStreamClients) {
    this.maxStreamClients = maxStreamClients;
  }

  @JsonProperty
  public int getStreamKeepaliveSeconds() {
    return streamKeepaliveSeconds;
  }

  @JsonProperty
  public void setStreamKeepaliveSeconds(int streamKeepaliveSeconds) {
    this.streamKeepaliveSeconds = streamKeepaliveSeconds;
  }
}
