package dev.trainyard.workflows.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Histogram bucket bounds for every Trainyard timer (the API's, the worker's, and the Temporal
 * SDK's): the 1-2.5-5 ladder between two bounds. A dozen or so buckets answer the p50/p99 and "over
 * the SLO" questions; the percentile histogram Micrometer would publish has over sixty per series,
 * which is what makes a scrape heavy. One ladder everywhere, so panels and alerts can compare any
 * two of them bucket for bucket.
 */
public final class LatencyBuckets {
  private static final long[] STEPS_PER_DECADE = {10, 25, 50};

  private LatencyBuckets() {}

  /**
   * 1, 2.5, 5, 10, 25, ... ms from {@code from} to {@code to}, both included when on the ladder.
   */
  public static Duration[] between(Duration from, Duration to) {
    List<Duration> bounds = new ArrayList<>();
    for (long decade = 100_000; decade <= to.toNanos(); decade *= 10) { // 0.1 ms steps of 10
      for (long step : STEPS_PER_DECADE) {
        Duration bound = Duration.ofNanos(decade / 10 * step);
        if (bound.compareTo(from) >= 0 && bound.compareTo(to) <= 0) {
          bounds.add(bound);
        }
      }
    }
    return bounds.toArray(Duration[]::new);
  }
}
