package dev.trainyard.e2e;

import static dev.trainyard.e2e.support.E2eApi.scriptedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.dev.DevSettings;
import dev.trainyard.app.dev.DevStack;
import dev.trainyard.app.dev.TemporalCli;
import dev.trainyard.app.temporal.TemporalConfigFiles;
import dev.trainyard.e2e.support.E2eApi;
import dev.trainyard.e2e.support.Executables;
import dev.trainyard.e2e.support.Repository;
import dev.trainyard.workflows.client.TemporalClients;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code trainyard dev} on the Temporal CLI's dev server: the UI is up and announced, the search
 * attributes are registered, and jobs survive a restart of the whole stack (SQLite file in the data
 * directory).
 */
class DevStackOnTemporalCliIT {

  @Test
  void theDevStackRunsOnTheDevServerWithItsUiAndKeepsJobsAcrossARestart() throws Exception {
    Path data =
        Files.createDirectories(
            Repository.outputDirectory()
                .resolveSibling("e2e-dev-stack-" + System.currentTimeMillis()));
    TemporalCli cli =
        new TemporalCli(
            Executables.temporal(),
            Optional.of(new TemporalConfigFiles(Repository.file(TemporalConfigFiles.FOLDER))));
    DevSettings settings = DevSettings.forTests(data).withTemporalCli(Optional.of(cli));

    long jobId;
    try (DevStack stack = DevStack.start(settings)) {
      String summary = stack.summary();
      assertThat(summary)
          .contains("Temporal dev server")
          .containsPattern("Temporal UI +http://127.0.0.1:\\d+");
      String ui = summary.replaceAll("(?s).*Temporal UI +(http://\\S+).*", "$1");
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(ui)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);

      ApiClient api = E2eApi.client(stack.apiUrl(), stack.adminKey());
      // The dev stack hands trainers its datasets folder; the demo dataset is always there.
      jobId =
          api.submit(
                  scriptedJob(2, 0.2)
                      .put("dataset_id", DevStack.DEMO_DATASET)
                      .put("project_id", DevStack.DEMO_PROJECT),
                  null)
              .path("job_id")
              .asLong();
      long id = jobId;
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(api.job(id).path("status").asText())
                      .as(api.job(id).toString())
                      .isEqualTo("succeeded"));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          count(
                              stack.temporalTarget(),
                              "TrainyardJobId = " + id + " AND TrainyardStatus = 'succeeded'"))
                      .isEqualTo(1));
    }

    try (DevStack again = DevStack.start(settings)) {
      ApiClient api = E2eApi.client(again.apiUrl(), again.adminKey());
      assertThat(api.job(jobId).path("status").asText()).isEqualTo("succeeded");
      assertThat(
              count(
                  again.temporalTarget(),
                  "TrainyardJobId = " + jobId + " AND ExecutionStatus = 'Completed'"))
          .as("the workflow survived the restart")
          .isEqualTo(1);
    }
  }

  private static int count(String target, String query) {
    WorkflowServiceStubs stubs = TemporalClients.stubs(target);
    try {
      return (int)
          stubs
              .blockingStub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace("default")
                      .setQuery(query)
                      .build())
              .getExecutionsList()
              .stream()
              .filter(
                  e ->
                      e.getStatus()
                          != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED)
              .count();
    } finally {
      stubs.shutdownNow();
    }
  }
}
