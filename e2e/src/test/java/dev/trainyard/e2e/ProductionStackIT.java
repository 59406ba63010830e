package dev.trainyard.e2e;

import static dev.trainyard.e2e.support.E2eApi.scriptedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.e2e.support.ChildProcess;
import dev.trainyard.e2e.support.E2eApi;
import dev.trainyard.e2e.support.Executables;
import dev.trainyard.e2e.support.HeadlessChromium;
import dev.trainyard.e2e.support.ProductionStack;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.TrainingJobWorkflow;
import dev.trainyard.workflows.messages.JobStateView;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The production-shaped stack end to end: a real Temporal server (the CLI's dev server, durable,
 * search attributes registered by temporal-config/register.sh), PostgreSQL, the API and two workers
 * as separate JVMs on one task queue, trainers as processes. Shows what an operator relies on:
 * visibility queries, the live workflow query, the Temporal UI, and that a worker crash or an API
 * restart loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductionStackIT {
  private static final Duration JOB_END = Duration.ofSeconds(120);
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  static ProductionStack stack;
  static ApiClient api;
  static final Map<String, String> figures = new LinkedHashMap<>();

  /** The long job that tests 1 to 3 inspect while it runs. */
  static JsonNode longJob;

  @BeforeAll
  static void startStack() throws Exception {
    Instant start = Instant.now();
    stack = ProductionStack.start(2);
    api = stack.api();
    figures.put(
        "stack start (PostgreSQL, temporal start-dev, API + 2 worker JVMs)",
        Duration.between(start, Instant.now()).toMillis() + " ms");
  }

  @AfterAll
  static void stopStack() throws IOException {
    if (stack != null) {
      stack.close();
      StringBuilder text = new StringBuilder();
      figures.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
      Files.writeString(stack.output().resolve("figures.txt"), text);
      System.out.print("e2e figures\n" + text);
    }
  }

  @Test
  @Order(1)
  void visibilityFindsAndFiltersJobsBySearchAttributes() {
    longJob = api.submit(scriptedJob(400, 0.5), null);
    JsonNode quick = api.submit(scriptedJob(2, 0.2), null);
    awaitStatus(id(quick), "succeeded");
    awaitStatus(id(longJob), "running");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(visible("TrainyardTraceId = '" + trace(longJob) + "'"))
                  .containsExactly(workflowId(longJob));
              assertThat(visible("TrainyardStatus = 'running' AND TrainyardModel = 'e2e-net'"))
                  .contains(workflowId(longJob))
                  .doesNotContain(workflowId(quick));
              assertThat(
                      visible(
                          "TrainyardStatus = 'succeeded' AND TrainyardJobId = "
                              + id(quick)
                              + " AND ExecutionStatus = 'Completed'"))
                  .containsExactly(workflowId(quick));
              assertThat(
                      visible(
                          "TrainyardStatus = 'succeeded' AND TrainyardTraceId = '"
                              + trace(longJob)
                              + "'"))
                  .isEmpty();
            });
  }

  @Test
  @Order(2)
  void theWorkflowQueryReturnsTheLiveState() throws IOException {
    TrainingJobWorkflow workflow =
        stack.temporalClient().newWorkflowStub(TrainingJobWorkflow.class, workflowId(longJob));

    JobStateView state = workflow.state();

    assertThat(state.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(state.callbacksReceived()).isPositive();
    assertThat(state.startedAtMillis()).isPositive();
    // It names the trainer's runtime, not its pid or log path (the launcher's internals).
    assertThat(state.trainerRuntime()).isEqualTo("local");
    assertThat(state.toString()).doesNotContain(stack.jobsDirectory().toString());
    // Progress reaches the workflow at most once per progress-signal interval, never ahead of
    // what the API stored.
    if (state.lastEpoch() != null) {
      assertThat(state.lastEpoch())
          .isLessThanOrEqualTo(api.job(id(longJob)).path("current_epoch").asInt());
    }
  }

  /**
   * Headless Chromium renders the UI's pages with a virtual-time budget, which never runs out while
   * a page holds a long poll open: the history page of a running workflow does (it waits for new
   * events). So the running job is checked on the workflow list, filtered by a search attribute as
   * an operator would type it, and its history page once it has ended.
   */
  @Test
  @Order(3)
  void theTemporalUiShowsTheJobsWorkflow() throws Exception {
    HeadlessChromium chromium =
        new HeadlessChromium(Executables.chromium(), stack.output().resolve("chromium"));
    String workflowId = workflowId(longJob);
    String list =
        stack.temporalUiUrl()
            + "/namespaces/default/workflows?query="
            + URLEncoder.encode(
                "TrainyardTraceId=\"" + trace(longJob) + "\"", StandardCharsets.UTF_8);

    Instant opened = Instant.now();
    String listDom = chromium.dumpDom(list);
    figures.put(
        "Temporal UI list page, headless chromium --dump-dom",
        Duration.between(opened, Instant.now()).toMillis() + " ms");
    chromium.screenshot(list, stack.output().resolve("temporal-ui-running-by-trace-id.png"));

    assertThat(listDom).contains(workflowId).contains(">Running<");

    assertThat(E2eApi.cancel(api, id(longJob))).isEqualTo(202);
    awaitStatus(id(longJob), "cancelled");
    String runId =
        stack
            .temporalClient()
            .newUntypedWorkflowStub(workflowId)
            .describe()
            .getExecution()
            .getRunId();
    String history =
        stack.temporalUiUrl()
            + "/namespaces/default/workflows/"
            + workflowId
            + "/"
            + runId
            + "/history";
    String dom = chromium.dumpDom(history);
    Path screenshot = stack.output().resolve("temporal-ui-" + workflowId + ".png");
    chromium.screenshot(history, screenshot);

    assertThat(dom).contains(workflowId).contains(runId).contains("TrainingJobWorkflow");
    assertThat(dom).contains(trace(longJob)); // the workflow's input, as the UI shows it
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    // Queries answer for a closed workflow too: its last state, for a post-mortem.
    assertThat(
            stack
                .temporalClient()
                .newWorkflowStub(TrainingJobWorkflow.class, workflowId)
                .state()
                .status())
        .isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  @Order(4)
  void aWorkerKilledWithSigkillLosesNoJobAndEndsNoneTwice() throws Exception {
    Map<Long, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      expected.put(id(api.submit(scriptedJob(12, 0.6), null)), "succeeded");
    }
    ObjectNode crash = scriptedJob(3, 5);
    ((ObjectNode) crash.get("hyperparameters")).put("mode", "crash");
    long crashing = id(api.submit(crash, null));
    expected.put(crashing, "failed");
    long cancelled = id(api.submit(scriptedJob(60, 0.5), null));
    expected.put(cancelled, "cancelled");
    expected.keySet().forEach(job -> awaitStatus(job, "running"));

    ChildProcess victim =
        stack.workers().stream().max((a, b) -> launches(a) - launches(b)).orElseThrow();
    assertThat(launches(victim)).as("trainers the killed worker launched").isPositive();
    Instant killed = Instant.now();
    victim.kill9();
    assertThat(E2eApi.cancel(api, cancelled)).isEqualTo(202);

    expected.forEach((job, status) -> awaitStatus(job, status));
    figures.put(
        "worker SIGKILL -> all " + expected.size() + " jobs terminal",
        Duration.between(killed, Instant.now()).toMillis() + " ms");
    assertThat(api.job(crashing).path("failure_reason").asText()).isEqualTo("trainer_exited");
    for (long job : expected.keySet()) {
      assertThat(transitions(job))
          .as("status changes of job " + job)
          .containsExactly("pending->queued", "queued->running", "running->" + expected.get(job));
      assertThat(api.job(job).path("status").asText()).isEqualTo(expected.get(job));
    }
  }

  @Test
  @Order(5)
  void restartingTheApiWhileHeartbeatsFlowLosesNoAcceptedCallback() throws Exception {
    int epochs = 16;
    List<Long> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode job = scriptedJob(epochs, 0.5);
      // The trainer's default (30 s) covers a restart too; 60 s keeps a slow CI machine honest.
      ((ObjectNode) job.get("hyperparameters")).put("callback_retry_seconds", 60);
      jobs.add(id(api.submit(job, null)));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> jobs.stream().allMatch(job -> metricEpochs(job).size() >= 2));

    Instant down = Instant.now();
    stack.killApi();
    Thread.sleep(2_000);
    stack.startApi();
    figures.put(
        "API down (SIGKILL, 2 s pause, new JVM answering)",
        Duration.between(down, Instant.now()).toMillis() + " ms");

    List<Integer> all = IntStream.rangeClosed(1, epochs).boxed().toList();
    for (long job : jobs) {
      awaitStatus(job, "succeeded");
      // Every heartbeat was eventually accepted (none given up), and each accepted one is stored.
      assertThat(metricEpochs(job)).as("epochs with metrics, job " + job).containsAll(all);
      assertThat(trainerEpochEvents(job)).as("epoch_completed events, job " + job).containsAll(all);
      assertThat(stack.trainerLog(job)).doesNotContain("failed after");
      assertThat(api.job(job).path("current_epoch").asInt()).isEqualTo(epochs);
      assertThat(transitions(job))
          .containsExactly("pending->queued", "queued->running", "running->succeeded");
    }
    String logs = String.join("\n", jobs.stream().map(ProductionStackIT::trainerLogOf).toList());
    assertThat(logs)
        .as("trainers retried while the API was down")
        .containsPattern("(heartbeat|event|done) failed \\(.*\\); retrying");
  }

  // --- helpers -----------------------------------------------------------------------------

  private static List<String> visible(String query) {
    return stack
        .temporalClient()
        .getWorkflowServiceStubs()
        .blockingStub()
        .listWorkflowExecutions(
            ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default")
                .setQuery(query)
                .build())
        .getExecutionsList()
        .stream()
        .map(e -> e.getExecution().getWorkflowId())
        .toList();
  }

  private static void awaitStatus(long jobId, String status) {
    await()
        .atMost(JOB_END)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              String now = api.job(jobId).path("status").asText();
              if (TERMINAL.contains(now) && !now.equals(status)) {
                throw new AssertionError(
                    "job "
                        + jobId
                        + " ended "
                        + now
                        + ", expected "
                        + status
                        + ": "
                        + api.job(jobId));
              }
              assertThat(now).as("status of job " + jobId).isEqualTo(status);
            });
  }

  private static List<String> transitions(long jobId) {
    return stack
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT (data->>'from') || '->' || (data->>'to') FROM job_events"
                            + " WHERE job_id = :job AND event_type = 'status_changed' ORDER BY id")
                    .bind("job", jobId)
                    .mapTo(String.class)
                    .list());
  }

  private static Set<Integer> metricEpochs(long jobId) {
    return Set.copyOf(
        stack
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT epoch FROM training_metrics WHERE job_id = :job AND epoch >= 1")
                        .bind("job", jobId)
                        .mapTo(Integer.class)
                        .list()));
  }

  private static Set<Integer> trainerEpochEvents(long jobId) {
    return Set.copyOf(
        stack
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT (data->>'epoch')::int FROM job_events WHERE job_id = :job"
                                + " AND source = 'trainer' AND event_type = 'epoch_completed'")
                        .bind("job", jobId)
                        .mapTo(Integer.class)
                        .list()));
  }

  /** How many trainers this worker started (its log says so once per launch). */
  private static int launches(ChildProcess worker) {
    return worker.log().split("started trainer pid", -1).length - 1;
  }

  private static String trainerLogOf(long jobId) {
    try {
      return stack.trainerLog(jobId);
    } catch (IOException e) {
      return "";
    }
  }

  private static long id(JsonNode job) {
    return job.path("job_id").asLong();
  }

  private static String trace(JsonNode job) {
    return job.path("trace_id").asText();
  }

  private static String workflowId(JsonNode job) {
    return job.path("workflow_id").asText();
  }
}
