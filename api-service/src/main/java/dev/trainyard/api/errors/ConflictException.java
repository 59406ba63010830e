package dev.trainyard.api.errors;

/** The request contradicts the job's state (it ended) or an earlier request (idempotency key). */
public final class ConflictException extends ApiException {
  public ConflictException(String detail) {
    super(409, detail);
  }
}
