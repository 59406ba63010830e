package dev.trainyard.api.errors;

import java.util.Map;

/**
 * A request the API refuses, with the HTTP status and a reason the caller can act on. Services
 * throw its subclasses; {@link ApiExceptionMapper} turns them into problem+json. No stack trace:
 * these are expected outcomes, not bugs.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, String> errors;

  public ApiException(int status, String detail) {
    this(status, detail, Map.of());
  }

  public ApiException(int status, String detail, Map<String, String> errors) {
    this(status, detail, errors, null);
  }

  protected ApiException(int status, String detail, Map<String, String> errors, Throwable cause) {
    super(detail, cause, false, false);
    this.status = status;
    this.errors = Map.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public Map<String, String> errors() {
    return errors;
  }
}
