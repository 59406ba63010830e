package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;

/**
 * Parses paging query parameters by hand: Jersey would answer 404 for {@code ?limit=abc}, which
 * tells the caller nothing.
 */
public final class PageParams {
  public static final int MAX_LIMIT = 500;

  private PageParams() {}

  public static int limit(String raw, int fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    long value = number("limit", raw);
    if (value < 1 || value > MAX_LIMIT) {
      throw InvalidRequestException.field("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return (int) value;
  }

  /** An optional id cursor ({@code before}, {@code after}); null when absent. */
  public static Long cursor(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    long value = number(name, raw);
    if (value < 0) {
      throw InvalidRequestException.field(name, "must not be negative");
    }
    return value;
  }

  private static long number(String name, String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw InvalidRequestException.field(name, "must be an integer");
    }
  }
}
