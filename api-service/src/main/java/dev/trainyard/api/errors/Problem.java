package dev.trainyard.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every error reply. {@code errors} maps a request field
 * to what is wrong with it, only for validation failures.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, Map<String, String> errors) {
  public static Problem of(int status, String detail, Map<String, String> errors) {
    return new Problem(
        "about:blank",
        Problems.title(status),
        status,
        detail,
        errors == null || errors.isEmpty() ? null : errors);
  }
}
