package dev.trainyard.app.cli;

import java.util.Map;

/**
 * 401: the API took the key sent (or none) for no key at all: unknown, revoked, expired or
 * malformed. The API does not say which, so that a guess learns nothing; the message names where
 * the CLI found the key, never the key.
 */
public final class ApiKeyRefusedException extends ApiException {
  private final String keyOrigin;

  ApiKeyRefusedException(
      int status, String title, String detail, Map<String, String> fieldErrors, String keyOrigin) {
    super(status, title, detail, fieldErrors);
    this.keyOrigin = keyOrigin;
  }

  /** Where the refused key came from ({@link ApiKeySource}), or null when none was sent. */
  public String keyOrigin() {
    return keyOrigin;
  }

  /** One line saying what to do. */
  public String line() {
    if (keyOrigin == null) {
      return "the API wants an API key and none was sent: run `trainyard login`, or set "
          + ApiKeySource.ENV;
    }
    return "the API refused the API key from "
        + keyOrigin
        + " (unknown, revoked or expired): run `trainyard login` with a valid key, or set "
        + ApiKeySource.ENV;
  }

  @Override
  public String hint() {
    return "";
  }
}
