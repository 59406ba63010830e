package dev.trainyard.workflows.client;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.trainyard.workflows.metrics.LatencyBuckets;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The Temporal SDK's own metrics (RPC latencies, workflow and activity task latencies, poller and
 * slot counts, the sticky cache) reported into a process's Micrometer registry, so they are served
 * beside Trainyard's on its {@code /metrics}. The SDK reports through a tally scope: timers as they
 * happen, counters and gauges every {@link #REPORT_EVERY}, which is why a counter read right after
 * an event may still show the old value.
 */
public final class TemporalMetrics {
  /**
   * Shorter than any sensible scrape interval (Prometheus' default is 15 s), so a scrape never sees
   * counters more than one interval old; longer would only save a trivial reporter wake-up.
   */
  public static final com.uber.m3.util.Duration REPORT_EVERY =
      com.uber.m3.util.Duration.ofSeconds(5);

  /**
   * The SDK asks Micrometer for a percentile histogram on every timer: some seventy buckets per
   * series, which made a worker's scrape 660 KB after three jobs. These fifteen, from a fast RPC to
   * a long poll's minute, answer the same questions (p50/p99, "over 1 s") in a fifth of it.
   */
  private static final double[] BUCKETS_NANOS =
      Stream.of(LatencyBuckets.between(Duration.ofMillis(1), Duration.ofSeconds(100)))
          .mapToDouble(Duration::toNanos)
          .toArray();

  private static final MeterFilter SDK_HISTOGRAMS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (!id.getName().startsWith("temporal_") || id.getType() != Meter.Type.TIMER) {
            return config;
          }
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(false)
              .serviceLevelObjectives(BUCKETS_NANOS)
              .build()
              .merge(config);
        }
      };

  private TemporalMetrics() {}

  /**
   * A scope reporting into {@code registry}; close it after the stubs that use it. Call it before
   * anything registers a meter: it adds the registry's filter for the SDK's histograms.
   */
  public static Scope scope(MeterRegistry registry) {
    registry.config().meterFilter(SDK_HISTOGRAMS);
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(REPORT_EVERY);
  }
}
