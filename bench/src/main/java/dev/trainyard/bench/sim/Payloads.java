package dev.trainyard.bench.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Metrics maps of a given JSON size, as a trainer's heartbeat carries (loss, accuracy, ...). */
public final class Payloads {
  /** {@code "m00":0.12345678901234,} is about 24 bytes. */
  static final int BYTES_PER_METRIC = 24;

  private Payloads() {}

  public static Map<String, Object> metrics(int approximateBytes) {
    int count = Math.max(1, approximateBytes / BYTES_PER_METRIC);
    Map<String, Object> metrics = new LinkedHashMap<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < count; i++) {
      metrics.put(String.format("m%02d", i), random.nextDouble());
    }
    return metrics;
  }
}
