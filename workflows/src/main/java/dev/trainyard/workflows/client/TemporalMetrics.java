package dev.trainyard.workflows.client;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

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

  private TemporalMetrics() {}

  /** A scope reporting into {@code registry}; close it after the stubs that use it. */
  public static Scope scope(MeterRegistry registry) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(REPORT_EVERY);
  }
}
