package dev.trainyard.api.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The data of a {@code log} message: {@code {"lines": ["…", …]}}. */
final class LogData {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogData() {}

  static String of(List<String> lines) {
    try {
      return JSON.writeValueAsString(Map.of("lines", lines));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings is always JSON", e);
    }
  }
}
