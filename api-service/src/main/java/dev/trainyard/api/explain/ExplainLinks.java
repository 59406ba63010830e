package dev.trainyard.api.explain;

import dev.trainyard.api.dashboard.DashboardFactory;
import dev.trainyard.store.jobs.JobRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The job's workflow in the Temporal UI and its run in MLflow, where the {@code dashboard:} block
 * names those UIs (the same links the dashboard's job page shows).
 */
final class ExplainLinks {
  private final String temporalUiUrl;
  private final String namespace;
  private final String mlflowUrl;

  ExplainLinks(DashboardFactory dashboard, String namespace) {
    this.temporalUiUrl = dashboard.getTemporalUiUrl();
    this.namespace = namespace;
    this.mlflowUrl = dashboard.getMlflowUrl();
  }

  Explanation.Links of(JobRecord job) {
    String temporal =
        temporalUiUrl == null
            ? null
            : temporalUiUrl
                + "/namespaces/"
                + encode(namespace)
                + "/workflows/"
                + encode(job.workflowId());
    String mlflow =
        mlflowUrl == null || job.mlflowRunId() == null
            ? null
            : mlflowUrl + "/#/runs/" + encode(job.mlflowRunId());
    return new Explanation.Links(temporal, mlflow);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
