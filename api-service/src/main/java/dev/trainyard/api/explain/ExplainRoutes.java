package dev.trainyard.api.explain;

import dev.trainyard.api.dashboard.DashboardFactory;
import dev.trainyard.api.logs.TrainerLogLines;
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
   * @param logLines the logs block's reader (the file, the pod, else the archive)
   * @param dashboard where the Temporal and MLflow UIs are, for the links
   */
  public static void register(
      Environment environment,
      Jdbi jdbi,
      JsonText json,
      WorkflowClient client,
      TrainerLogLines logLines,
      DashboardFactory dashboard) {
    ExplainService service =
        new ExplainService(
            jdbi,
            json,
            new WorkflowInspector(client),
            new ExplainLogLines(jdbi, logLines),
            new ExplainLinks(dashboard, client.getOptions().getNamespace()),
            Clock.systemUTC());
    environment.jersey().register(new ExplainResource(service));
  }
}
