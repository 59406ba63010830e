package dev.trainyard.api.errors;

/** The request body is larger than this API accepts. */
public final class PayloadTooLargeException extends ApiException {
  public PayloadTooLargeException(long limitBytes) {
    super(413, "request body exceeds the limit of " + limitBytes + " bytes");
  }
}
