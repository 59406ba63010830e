package dev.trainyard.worker.metrics;

import com.uber.m3.tally.Scope;
import dev.trainyard.workflows.client.TemporalMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
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
  private final JvmGcMetrics gc;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope temporalScope, JvmGcMetrics gc) {
    this.registry = registry;
    this.temporalScope = temporalScope;
    this.gc = gc;
  }

  public static WorkerMetrics start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Scope temporal = TemporalMetrics.scope(registry); // first: it adds a meter filter
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new WorkerMetrics(registry, temporal, gc);
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
    gc.close();
    registry.close();
  }
}
