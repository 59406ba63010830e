package dev.trainyard.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results as a two-column table, nested sections flattened to dotted names. */
public final class ResultTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultTable() {}

  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> report) {
    Map<String, Object> plain = JSON.convertValue(report, LinkedHashMap.class);
    Map<String, String> rows = new LinkedHashMap<>();
    flatten("", plain, rows);
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
    StringBuilder out = new StringBuilder();
    String rule = "-".repeat(width + 3 + 40) + "\n";
    out.append(rule);
    rows.forEach((k, v) -> out.append(String.format("%-" + width + "s | %s%n", k, v)));
    out.append(rule);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, Map<String, String> rows) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, rows));
    } else if (value instanceof List<?> list) {
      rows.put(prefix, list.toString());
    } else if (value instanceof Double d) {
      rows.put(prefix, d.isNaN() ? "-" : String.format("%.2f", d));
    } else {
      rows.put(prefix, String.valueOf(value));
    }
  }
}
