package dev.trainyard.api.logs;

import dev.trainyard.api.errors.ApiException;
import java.util.Map;

/**
 * The query parameters of the log routes ({@code /logs}, and the job stream's {@code logs} and
 * {@code tail}), parsed by hand so a bad value gets a 400 naming it, not Jersey's bare 404.
 */
public final class LogParams {
  public static final int DEFAULT_TAIL = 100;
  public static final int MAX_TAIL = 10_000;

  private LogParams() {}

  public static int tail(String value) {
    try {
      int tail = Integer.parseInt(value.strip());
      if (tail >= 1 && tail <= MAX_TAIL) {
        return tail;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    String problem = "must be an integer from 1 to " + MAX_TAIL;
    throw new ApiException(400, "tail " + problem, Map.of("tail", problem));
  }

  public static boolean flag(String name, String value) {
    if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
      return Boolean.parseBoolean(value);
    }
    throw new ApiException(
        400, name + " must be true or false", Map.of(name, "must be true or false"));
  }
}
