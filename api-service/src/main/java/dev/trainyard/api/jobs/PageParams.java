package dev.trainyard.api.jobs;

import dev.trainyard.api.errors.InvalidRequestException;

/**
 * Parses paging query parameters by hand: Jersey would answer 404 for {@code ?limit=abc}, which
 * tells the caller nothing.
 */
public final class PageParams {
  public static final int MAX_LIMIT = 500;

  /**
   * A job's metrics are small rows read in id order from one index: a chart of 10,000 points loads
   * in two calls instead of twenty.
   */
  public static final int MAX_METRICS_LIMIT = 5000;

  private PageParams() {}

  public static int limit(String raw, int fallback) {
    return limit(raw, fallback, MAX_LIMIT);
  }

  /** As {@link #limit(String, int)}, up to {@code max}. */
  public static int limit(String raw, int fallback, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    long value = number("limit", raw);
    if (value < 1 || value > max) {
      throw InvalidRequestException.field("limit", "must be between 1 and " + max);
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
