package dev.trainyard.api.auth;

import dev.trainyard.api.errors.ApiException;
import io.dropwizard.auth.UnauthorizedHandler;

/**
 * A user route without a usable API key. One answer for a missing, malformed, unknown, revoked or
 * expired key: telling them apart would help someone guessing keys, not the key's holder, who can
 * ask {@code trainyard whoami}.
 */
public final class UserKeyUnauthorizedHandler implements UnauthorizedHandler {
  static final String DETAIL =
      "this route needs a valid API key: send Authorization: Bearer ty_... (run `trainyard login`,"
          + " or ask a project admin for a key); an unknown, revoked or expired key is refused too";

  @Override
  public RuntimeException buildException(String prefix, String realm) {
    return new ApiException(401, DETAIL);
  }
}
