package dev.trainyard.api.errors;

import java.util.Map;

/**
 * The request is malformed. With field errors the detail names the first one, so a caller that only
 * prints {@code detail} still learns what to fix.
 */
public final class InvalidRequestException extends ApiException {
  public InvalidRequestException(String detail) {
    super(400, detail);
  }

  public InvalidRequestException(Map<String, String> fieldErrors) {
    super(400, summary(fieldErrors), fieldErrors);
  }

  public static InvalidRequestException field(String field, String reason) {
    return new InvalidRequestException(Map.of(field, reason));
  }

  private static String summary(Map<String, String> fieldErrors) {
    Map.Entry<String, String> first = fieldErrors.entrySet().iterator().next();
    String more = fieldErrors.size() > 1 ? " (and " + (fieldErrors.size() - 1) + " more)" : "";
    return first.getKey() + " " + first.getValue() + more;
  }
}
