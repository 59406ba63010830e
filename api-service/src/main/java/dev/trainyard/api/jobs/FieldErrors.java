package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Collects one reason per bad field, so a caller learns everything wrong in one round trip. */
public final class FieldErrors {
  private final Map<String, String> errors = new LinkedHashMap<>();

  public String text(String field, String value, Pattern pattern, String rule, boolean required) {
    if (value == null) {
      if (required) {
        add(field, "is required");
      }
      return value;
    }
    if (!pattern.matcher(value).matches()) {
      add(field, rule);
    }
    return value;
  }

  public void range(String field, Number value, long min, long max, boolean required) {
    if (value == null) {
      if (required) {
        add(field, "is required");
      }
    } else if (value.longValue() < min) {
      add(field, "must be at least " + min);
    } else if (value.longValue() > max) {
      add(field, "must be at most " + max);
    }
  }

  public void add(String field, String reason) {
    errors.putIfAbsent(field, reason);
  }

  /** Whether {@code field} already has a reason (the first one found is the one reported). */
  public boolean has(String field) {
    return errors.containsKey(field);
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }
}
