package dev.trainyard.api.auth;

import dev.trainyard.api.errors.InvalidTokenException;
import io.dropwizard.auth.UnauthorizedHandler;

/** A missing or non-Bearer Authorization header, answered like every other token failure. */
public final class ProblemUnauthorizedHandler implements UnauthorizedHandler {
  @Override
  public RuntimeException buildException(String prefix, String realm) {
    return new InvalidTokenException("Missing bearer token: send Authorization: Bearer <token>");
  }
}
