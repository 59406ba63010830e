package dev.trainyard.api.metrics;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import dev.trainyard.workflows.client.TemporalMetrics;
import dev.trainyard.workflows.metrics.JvmMeters;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.metrics.servlets.MetricsServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The API's Micrometer registry, served as Prometheus text on the admin port's {@code /metrics}
 * (docs/operations.md, "Metrics"): Trainyard's meters, the Temporal SDK's through {@link
 * #temporalScope()}, and the JVM's. Dropwizard's own metrics (Jetty, the connection pool, the JVM
 * again) stay in Dropwizard's registry, whose JSON moves to {@code /metrics.json}.
 *
 * <p>With {@code prometheus.enabled: false} the registry is an empty composite, whose meters do
 * nothing, and the SDK gets a no-op scope: the same code runs, at no cost.
 */
public final class ApiMetrics implements Managed {
  private final MeterRegistry registry;
  private final Scope temporalScope;
  private final AutoCloseable jvm;

  private ApiMetrics(MeterRegistry registry, Scope temporalScope, AutoCloseable jvm) {
    this.registry = registry;
    this.temporalScope = temporalScope;
    this.jvm = jvm;
  }

  /** Builds the registry, mounts the admin servlets; stopped after everything that reports. */
  public static ApiMetrics register(Environment environment, PrometheusFactory config) {
    ApiMetrics metrics;
    if (config.isEnabled()) {
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      Scope temporal = TemporalMetrics.scope(prometheus); // first: it adds a meter filter
      AutoCloseable jvm = JvmMeters.bindTo(prometheus);
      metrics = new ApiMetrics(prometheus, temporal, jvm);
      mount(environment, Optional.of(prometheus));
    } else {
      metrics = new ApiMetrics(new CompositeMeterRegistry(), new NoopScope(), null);
      mount(environment, Optional.empty());
    }
    environment.lifecycle().manage(metrics);
    return metrics;
  }

  private static void mount(Environment environment, Optional<PrometheusMeterRegistry> registry) {
    // Exact paths win over the "/*" of Dropwizard's admin servlet, which served JSON here.
    environment
        .admin()
        .addServlet("prometheus", new PrometheusText(registry))
        .addMapping("/metrics");
    environment
        .admin()
        .addServlet("dropwizard-metrics", new MetricsServlet(environment.metrics()))
        .addMapping("/metrics.json");
  }

  /** Where Trainyard's meters go; meters are built once, never per request. */
  public MeterRegistry registry() {
    return registry;
  }

  /** For the API's Temporal service stubs ({@code TemporalFactory}). */
  public Scope temporalScope() {
    return temporalScope;
  }

  /** {@code trainyard_jobs} and {@code trainyard_job_oldest_age_seconds}, read at scrape time. */
  public void registerJobGauges(Jdbi jdbi) {
    JobGauges.register(registry, jdbi);
  }

  @Override
  public void start() {}

  @Override
  public void stop() throws Exception {
    temporalScope.close();
    if (jvm != null) {
      jvm.close();
    }
    registry.close();
  }
}
