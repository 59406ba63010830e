package dev.trainyard.api.errors;

import java.util.Map;

/** Temporal could not be reached; nothing was changed, so the caller may retry. */
public final class TemporalUnavailableException extends ApiException {
  public TemporalUnavailableException(String what, Throwable cause) {
    super(
        503,
        "the workflow service is unavailable (" + what + "); nothing was changed, retry later",
        Map.of(),
        cause);
  }
}
