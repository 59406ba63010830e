package dev.trainyard.api.errors;

/**
 * A callback token that is missing, unverifiable, expired or for another job. The detail never
 * contains the token or the parser's message about it.
 */
public final class InvalidTokenException extends ApiException {
  public InvalidTokenException(String detail) {
    super(401, detail);
  }
}
