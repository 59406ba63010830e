package dev.trainyard.bench.sim;

import java.util.Arrays;

/** Every sample kept (microseconds), so percentiles are exact; a few MB for a ten-minute run. */
public final class LatencyRecorder {
  private long[] micros = new long[1 << 16];
  private int count;

  public synchronized void record(long nanos) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, micros.length * 2);
    }
    micros[count++] = nanos / 1_000;
  }

  public synchronized int count() {
    return count;
  }

  /** p in [0,100]; milliseconds; NaN without samples. */
  public synchronized double percentileMillis(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1000.0;
  }

  public synchronized double maxMillis() {
    return percentileMillis(100);
  }

  public synchronized Summary summary() {
    return new Summary(
        count, percentileMillis(50), percentileMillis(95), percentileMillis(99), maxMillis());
  }

  /** Milliseconds. */
  public record Summary(int samples, double p50, double p95, double p99, double max) {}
}
