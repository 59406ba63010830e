package dev.trainyard.api.callbacks;

import dev.trainyard.api.auth.VerifiedTokenCache;
import dev.trainyard.api.config.CallbackApiFactory;
import dev.trainyard.api.metrics.CallbackMeters;
import dev.trainyard.api.metrics.CallbackMetricsFilter;
import dev.trainyard.api.temporal.JobWorkflows;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.jobs.HeartbeatBatch;
import dev.trainyard.store.jobs.ProgressSignalMarks;
import io.dropwizard.core.setup.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.EnumSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Registers the trainer's callback API: the JAX-RS resource with its token authentication, the
 * heartbeat group commit and the progress signals it leaves for after the reply (both started and
 * stopped with the server), and the heartbeat fast path in front of Jersey.
 */
public final class CallbackRoutes {
  /**
   * Threads sending progress signals, each waiting out one engine round trip at a time: 10,000 jobs
   * at a 300 s interval are 33 signals/s, and a loaded engine's round trip was 65 ms (p50,
   * docs/benchmarks.md), so two threads would barely keep up.
   */
  private static final int PROGRESS_SIGNAL_SENDERS = 8;

  private CallbackRoutes() {}

  public static void register(
      Environment environment,
      CallbackApiFactory config,
      Jdbi jdbi,
      JobWorkflows workflows,
      JsonText json,
      VerifiedTokenCache tokens,
      MeterRegistry meters,
      String checkpointBucket) {
    ProgressSignalMarks signalMarks =
        new ProgressSignalMarks(
            jdbi, Clock.systemUTC(), config.getProgressSignalInterval().toJavaDuration());
    ProgressSignals signals =
        new ProgressSignals(
            workflows::trainerCallback,
            signalMarks,
            Clock.systemUTC(),
            PROGRESS_SIGNAL_SENDERS,
            meters);
    HeartbeatWriter heartbeats =
        new HeartbeatWriter(
            new HeartbeatBatch(jdbi, signalMarks),
            signals,
            config.getMaxHeartbeatBatch(),
            config.getHeartbeatWriters(),
            meters);
    // stopped in reverse order: the writers first, then the signals they queued
    environment.lifecycle().manage(signals);
    environment.lifecycle().manage(heartbeats);
    CallbackService callbacks =
        new CallbackService(
            jdbi, workflows, json, Clock.systemUTC(), signalMarks, heartbeats, checkpointBucket);

    environment.jersey().register(new CallbackResource(callbacks));
    // registered first of the two, so it also times the answers of the fast path
    environment
        .servlets()
        .addFilter("callback-metrics", new CallbackMetricsFilter(new CallbackMeters(meters)))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/jobs/*");
    environment
        .servlets()
        .addFilter(
            "heartbeat-fast-path",
            new HeartbeatFastPath(
                tokens, callbacks, environment.getObjectMapper(), config.getMaxBodyBytes()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/jobs/*");
  }
}
