package dev.trainyard.api.health;

import dev.trainyard.api.storage.ObjectStorage;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The API's health (contract of issue 15): {@value #DATABASE} (fatal: nothing is served without
 * it), {@value #TEMPORAL} and {@value #STORAGE} (reachability; degraded, not dead), and
 * Dropwizard's {@code deadlocks} (fatal), on the admin port's {@code /healthcheck} and {@code
 * /ready}.
 */
public final class ApiHealth {
  /** The name the JDBI health check is registered under. */
  public static final String DATABASE = "database";

  public static final String TEMPORAL = "temporal";
  public static final String STORAGE = "storage";

  /** Each check's own limit: all of them run in parallel, within a probe's 5 s. */
  static final Duration DEADLINE = Duration.ofSeconds(3);

  private ApiHealth() {}

  public static void register(
      Environment environment,
      WorkflowClient temporal,
      String temporalTarget,
      Optional<ObjectStorage> storage) {
    environment
        .healthChecks()
        .register(
            TEMPORAL,
            new TemporalHealthCheck(
                temporal.getWorkflowServiceStubs(),
                temporalTarget,
                temporal.getOptions().getNamespace(),
                DEADLINE));
    environment.healthChecks().register(STORAGE, new StorageHealthCheck(storage, DEADLINE));

    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "health-check");
              thread.setDaemon(true);
              return thread;
            });
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                executor.shutdownNow();
              }
            });
    // Exact paths win over the AdminServlet's "/*", which would serve Dropwizard's variant.
    environment
        .admin()
        .addServlet(
            "trainyard-health",
            new HealthServlet(
                environment.healthChecks(),
                Set.of(DATABASE, "deadlocks"),
                executor,
                environment.getObjectMapper()))
        .addMapping(HealthServlet.ALL, HealthServlet.READY);
  }
}
