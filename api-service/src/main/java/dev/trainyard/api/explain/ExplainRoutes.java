package dev.trainyard.api.explain;

import dev.trainyard.api.dashboard.DashboardFactory;
import dev.trainyard.api.logs.LocalLogStreamer;
import dev.trainyard.api.temporal.WorkflowInspector;
import dev.trainyard.store.JsonText;
import io.dropwizard.core.setup.Environment;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** Registers {@code GET /v1/jobs/{id}/explain}. */
public final class ExplainRoutes {
  private ExplainRoutes() {}

  /**
   * @param localLogs the logs block's local reader (null-safe: without one, explain says so)
   * @param dashboard where the Temporal and MLflow UIs are, for the links
   */
  public static void register(
      Environment environment,
      Jdbi jdbi,
      JsonText json,
      WorkflowClient client,
      LocalLogStreamer localLogs,
      DashboardFactory dashboard) {
    ExplainService service =
        new ExplainService(
            jdbi,
            json,
            new WorkflowInspector(client),
            new TrainerLogLines(jdbi, localLogs),
            new ExplainLinks(dashboard, client.getOptions().getNamespace()),
            Clock.systemUTC());
    environment.jersey().register(new ExplainResource(service));
  }
}
