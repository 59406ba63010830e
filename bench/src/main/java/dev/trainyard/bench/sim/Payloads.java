package dev.trainyard.bench.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Metrics maps of a given JSON size, as a trainer's heartbeat carries (loss, accuracy, ...). */
public final class Payloads {
  /** {@code "m00":0.12345678901234,} is about 24 bytes. */
  static final int BYTES_PER_METRIC = 24;

  private static final String[] NAMES = new String[100];

  static {
    for (int i = 0; i < NAMES.length; i++) {
      NAMES[i] = String.format("m%02d", i);
    }
  }

  private Payloads() {}

  public static Map<String, Object> metrics(int approximateBytes) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < count(approximateBytes); i++) {
      metrics.put(name(i), random.nextDouble());
    }
    return metrics;
  }

  /**
   * A heartbeat body with fresh metric values, written directly: the simulator shares the cores
   * with what it measures, and a map plus an ObjectMapper per beat cost more than the call's I/O.
   */
  public static String heartbeat(String traceId, int step, int approximateMetricBytes) {
    StringBuilder json =
        new StringBuilder(96 + approximateMetricBytes + BYTES_PER_METRIC)
            .append("{\"trace_id\":\"")
            .append(traceId)
            .append("\",\"epoch\":")
            .append(step / 100)
            .append(",\"total_epochs\":1000000,\"step\":")
            .append(step)
            .append(",\"progress\":")
            .append(Math.min(99.0, step / 100.0))
            .append(",\"metrics\":{");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < count(approximateMetricBytes); i++) {
      json.append(i == 0 ? "\"" : ",\"").append(name(i)).append("\":").append(random.nextDouble());
    }
    return json.append("}}").toString();
  }

  private static int count(int approximateBytes) {
    return Math.max(1, approximateBytes / BYTES_PER_METRIC);
  }

  private static String name(int i) {
    return i < NAMES.length ? NAMES[i] : "m" + i;
  }
}
