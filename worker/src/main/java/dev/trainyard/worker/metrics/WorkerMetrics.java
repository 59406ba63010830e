package dev.trainyard.worker.metrics;

import com.uber.m3.tally.Scope;
import dev.trainyard.workflows.client.TemporalMetrics;
import dev.trainyard.workflows.metrics.JvmMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A worker's Micrometer registry, served by its admin port's {@code /metrics}: the Temporal SDK's
 * worker metrics (workflow and activity task latencies, slots, pollers, the sticky cache) through
 * {@link #temporalScope()}, Trainyard's launcher and transition meters, and the JVM's. Close it
 * after the worker and its service stubs.
 */
public final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final Scope temporalScope;
  private final AutoCloseable jvm;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope temporalScope, AutoCloseable jvm) {
    this.registry = registry;
    this.temporalScope = temporalScope;
    this.jvm = jvm;
  }

  public static WorkerMetrics start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Scope temporal = TemporalMetrics.scope(registry); // first: it adds a meter filter
    AutoCloseable jvm = JvmMeters.bindTo(registry);
    return new WorkerMetrics(registry, temporal, jvm);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** For the worker's service stubs: the WorkerFactory built on them reports here. */
  public Scope temporalScope() {
    return temporalScope;
  }

  @Override
  public void close() throws Exception {
    temporalScope.close();
    jvm.close();
    registry.close();
  }
}
