package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"status":"ok"}}, plus should_continue for heartbeats, exactly as the seed answers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallbackReply(
    @JsonProperty("status") String status,
    @JsonProperty("should_continue") Boolean shouldContinue) {

  public static CallbackReply ok() {
    return new CallbackReply("ok", null);
  }

  public static CallbackReply heartbeat(boolean shouldContinue) {
    return new CallbackReply("ok", shouldContinue);
  }
}
