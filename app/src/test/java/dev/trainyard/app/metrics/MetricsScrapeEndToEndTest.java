package dev.trainyard.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.dev.DevSettings;
import dev.trainyard.app.dev.DevStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes the API's and the worker's {@code /metrics} while real jobs run on the dev stack (one
 * that trains, one whose trainer never calls back, one that crashes), then checks that every metric
 * the shipped Grafana dashboard and alert rules read is served, by the process their selector
 * names, and that the figures count what the jobs did.
 */
class MetricsScrapeEndToEndTest {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path OBSERVABILITY = repositoryFile("deploy/observability");
  static final String API_JOB = "trainyard-api";
  static final String WORKER_JOB = "trainyard-worker";

  /** Prometheus makes these itself for every target; no process serves them. */
  private static final Set<String> SYNTHETIC = Set.of("up");

  @TempDir static Path dataDirectory;
  static DevStack stack;
  static ApiClient api;
  static Scrape apiDuringJob;
  static Scrape workerDuringJob;
  static Scrape apiAfter;
  static Scrape workerAfter;

  @BeforeAll
  static void runJobsAndScrape() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
    long trains =
        submit(
            job -> {
              job.put("epochs", 8);
              job.putObject("hyperparameters").put("seconds_per_epoch", 0.5);
            });
    await().atMost(JOB_TIMEOUT).until(() -> api.job(trains).path("current_epoch").asInt() >= 2);
    apiDuringJob = Scrape.of(stack.apiAdminUrl());
    workerDuringJob = Scrape.of(stack.workerAdminUrl());
    long silent =
        submit(
            job -> {
              job.put("startup_timeout_seconds", 3);
              job.putObject("hyperparameters").put("mode", "silent");
            });
    long crashes = submit(job -> job.putObject("hyperparameters").put("mode", "crash"));
    for (long job : List.of(trains, silent, crashes)) {
      awaitEnd(job);
    }
    // the SDK reports its counters every few seconds, the job gauges are cached as long
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Scrape.of(stack.workerAdminUrl())
                            .value("trainyard_job_timeouts_total{reason=\"startup_timeout\"}")
                        > 0
                    && Scrape.of(stack.apiAdminUrl()).value("trainyard_jobs{status=\"failed\"}")
                        >= 2
                    && Scrape.of(stack.workerAdminUrl())
                        .names()
                        .contains("temporal_sticky_cache_size"));
    apiAfter = Scrape.of(stack.apiAdminUrl());
    workerAfter = Scrape.of(stack.workerAdminUrl());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsReadIsServedByTheProcessTheySelect() throws Exception {
    List<String> expressions = new ArrayList<>(dashboardExpressions());
    expressions.addAll(alertExpressions());
    Map<String, Set<String>> served =
        Map.of(
            API_JOB, union(apiDuringJob.names(), apiAfter.names()),
            WORKER_JOB, union(workerDuringJob.names(), workerAfter.names()));
    Set<String> anywhere = union(served.get(API_JOB), served.get(WORKER_JOB));

    Set<String> used = new TreeSet<>();
    Map<String, Set<String>> missing = new TreeMap<>();
    for (String expression : expressions) {
      for (String name : PromQlNames.of(expression)) {
        used.add(name);
        if (!SYNTHETIC.contains(name) && !anywhere.contains(name)) {
          missing.computeIfAbsent(name, k -> new TreeSet<>()).add("any scrape");
        }
      }
      PromQlNames.jobs(expression)
          .forEach(
              (name, jobs) -> {
                for (String job : jobs) {
                  assertThat(served).as("scrape job named in " + expression).containsKey(job);
                  if (!SYNTHETIC.contains(name) && !served.get(job).contains(name)) {
                    missing.computeIfAbsent(name, k -> new TreeSet<>()).add(job);
                  }
                }
              });
    }

    assertThat(missing).as("metrics the dashboard or alerts read that nothing serves").isEmpty();
    // the files were read and the names found: a broken extractor would pass the check above
    assertThat(used)
        .hasSizeGreaterThan(25)
        .contains(
            "trainyard_callbacks_total",
            "trainyard_callback_duration_seconds_bucket",
            "trainyard_heartbeat_batch_size_bucket",
            "trainyard_progress_signal_lag_seconds_bucket",
            "trainyard_progress_signals_total",
            "trainyard_jobs",
            "trainyard_job_oldest_age_seconds",
            "trainyard_job_timeouts_total",
            "trainyard_trainer_launches_total",
            "trainyard_trainer_launch_failures_total",
            "trainyard_trainer_exits_total",
            "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
            "temporal_activity_execution_latency_seconds_bucket",
            "temporal_sticky_cache_size",
            "up");
  }

  @Test
  void whileAJobRunsTheApiCountsItsHeartbeatsAndTheWorkerItsLaunch() {
    assertThat(apiDuringJob.value("trainyard_callbacks_total{code=\"200\",route=\"heartbeat\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(apiDuringJob.value("trainyard_callback_duration_seconds_count{route=\"heartbeat\"}"))
        .isGreaterThanOrEqualTo(1);
    assertThat(apiDuringJob.value("trainyard_jobs{status=\"running\"}")).isEqualTo(1);
    assertThat(workerDuringJob.value("trainyard_trainer_launches_total{runtime=\"local\"}"))
        .isEqualTo(1);
    assertThat(
            workerDuringJob.value(
                "trainyard_job_transitions_total{reason=\"none\",to=\"running\"}"))
        .isEqualTo(1);
  }

  @Test
  void afterTheJobsTheScrapesCountWhatEachDid() {
    assertThat(apiAfter.value("trainyard_callbacks_total{code=\"200\",route=\"done\"}"))
        .isEqualTo(1); // only the trainer that finished sends done
    assertThat(apiAfter.value("trainyard_callbacks_total{code=\"200\",route=\"event\"}"))
        .isPositive();
    assertThat(apiAfter.value("trainyard_heartbeat_batch_size_count")).isPositive();
    assertThat(apiAfter.value("trainyard_jobs{status=\"succeeded\"}")).isEqualTo(1);
    assertThat(apiAfter.value("trainyard_jobs{status=\"failed\"}")).isEqualTo(2);
    assertThat(apiAfter.value("trainyard_job_oldest_age_seconds{status=\"running\"}")).isZero();

    assertThat(workerAfter.value("trainyard_trainer_launches_total{runtime=\"local\"}"))
        .isEqualTo(3);
    assertThat(workerAfter.value("trainyard_job_timeouts_total{reason=\"startup_timeout\"}"))
        .isEqualTo(1);
    assertThat(workerAfter.value("trainyard_job_timeouts_total{reason=\"heartbeat_timeout\"}"))
        .isZero();
    assertThat(
            workerAfter.value(
                "trainyard_job_transitions_total{reason=\"trainer_exited\",to=\"failed\"}"))
        .isEqualTo(1);
    assertThat(
            workerAfter.value("trainyard_job_transitions_total{reason=\"none\",to=\"succeeded\"}"))
        .isEqualTo(1);
    assertThat(
            workerAfter.value(
                "trainyard_trainer_exits_total{cause=\"exited\",exit=\"nonzero\",runtime=\"local\"}"))
        .as("the crash")
        .isGreaterThanOrEqualTo(1);
    assertThat(
            workerAfter.value(
                "trainyard_trainer_exits_total{cause=\"exited\",exit=\"zero\",runtime=\"local\"}"))
        .as("the trainer that finished")
        .isGreaterThanOrEqualTo(1);
    assertThat(
            workerAfter.samples().entrySet().stream()
                .filter(s -> s.getKey().startsWith("temporal_sticky_cache_hit_total{"))
                .mapToDouble(Map.Entry::getValue)
                .sum())
        .as("the workflows' tasks ran on the cached workflows")
        .isPositive();
  }

  @Test
  void theSdksHistogramsKeepTheWorkersScrapeSmall() {
    // with the SDK's percentile histograms this scrape was 660 KB after the same three jobs, 190 KB
    // with the ladder; it grows with the SDK's series (RPC operations, activity types), not jobs
    assertThat(workerAfter.text().length()).isLessThan(330_000);
    assertThat(workerAfter.samples().keySet())
        .filteredOn(s -> s.startsWith("temporal_workflow_task_execution_latency_seconds_bucket{"))
        .hasSizeLessThanOrEqualTo(17 * 2); // 16 bounds and +Inf, per workflow task series
    System.out.printf(
        "scrape sizes: api %d bytes, worker %d bytes%n",
        apiAfter.text().length(), workerAfter.text().length());
  }

  @Test
  void theWorkersHealthCheckSeesTemporalAndTheDatabase() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.workerAdminUrl() + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    JsonNode checks = JSON.readTree(health.body());
    assertThat(checks.path("temporal").path("healthy").asBoolean()).isTrue();
    assertThat(checks.path("database").path("healthy").asBoolean()).isTrue();
  }

  @Test
  void theScrapeConfigsDefineTheJobsTheRulesAndDashboardSelect() throws Exception {
    JsonNode compose = YAML.readTree(OBSERVABILITY.resolve("prometheus/prometheus.yml").toFile());
    Set<String> jobs = new TreeSet<>();
    compose.path("scrape_configs").forEach(c -> jobs.add(c.path("job_name").asText()));
    assertThat(jobs).containsExactly(API_JOB, WORKER_JOB);
    assertThat(compose.path("rule_files").get(0).asText()).endsWith("/trainyard-alerts.yml");
    // the ports scraped are those the shipped configurations serve their metrics on
    assertThat(compose.toString()).contains("api-service:8081").contains("worker-1:8084");
    assertThat(Files.readString(repositoryFile("api-service/src/main/resources/example-api.yml")))
        .contains("port: ${TRAINYARD_ADMIN_PORT:-8081}");
    assertThat(Files.readString(repositoryFile("worker/src/main/resources/example-worker.yml")))
        .contains("port: ${TRAINYARD_WORKER_ADMIN_PORT:-8084}");
    // Kubernetes: the job label is the pod's app.kubernetes.io/name, as deploy/k8s labels them
    JsonNode kubernetes =
        YAML.readTree(OBSERVABILITY.resolve("prometheus/prometheus-kubernetes.yml").toFile());
    assertThat(kubernetes.toString())
        .contains("__meta_kubernetes_pod_label_app_kubernetes_io_name")
        .contains("\"target_label\":\"job\"");
    for (String manifest : List.of("api-deployment.yaml", "worker-deployment.yaml")) {
      assertThat(Files.readString(repositoryFile("deploy/k8s/" + manifest)))
          .containsAnyOf(
              "app.kubernetes.io/name: " + API_JOB, "app.kubernetes.io/name: " + WORKER_JOB);
    }
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard =
        JSON.readTree(OBSERVABILITY.resolve("grafana/trainyard-dashboard.json").toFile());
    List<String> expressions = new ArrayList<>();
    collect(dashboard, "expr", expressions);
    assertThat(expressions).as("the dashboard's queries").hasSizeGreaterThan(20);
    return expressions;
  }

  private static List<String> alertExpressions() throws IOException {
    JsonNode rules = YAML.readTree(OBSERVABILITY.resolve("alerts/trainyard-alerts.yml").toFile());
    List<String> expressions = new ArrayList<>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
    Set<String> alerts = new TreeSet<>();
    rules
        .path("groups")
        .forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
    assertThat(alerts)
        .contains(
            "TrainyardCallback5xxRate",
            "TrainyardProgressSignalLag",
            "TrainyardJobsStuckQueued",
            "TrainyardWorkerDown");
    assertThat(expressions).allSatisfy(e -> assertThat(e).isNotBlank());
    return expressions;
  }

  private static void collect(JsonNode node, String field, List<String> into) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals(field) && e.getValue().isTextual()) {
                  into.add(e.getValue().asText());
                } else {
                  collect(e.getValue(), field, into);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, field, into));
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Path repositoryFile(String path) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(path))) {
        return dir.resolve(path);
      }
    }
    throw new IllegalStateException(path + " not found above " + Path.of("").toAbsolutePath());
  }

  private static long submit(Consumer<ObjectNode> customise) {
    ObjectNode job = JSON.createObjectNode();
    job.put("framework", "scripted");
    job.put("model_name", "metrics-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", 2);
    job.put("batch_size", 8);
    job.put("learning_rate", 0.01);
    job.putObject("hyperparameters").put("seconds_per_epoch", 0.3);
    customise.accept(job);
    return api.submit(job, null).path("job_id").asLong();
  }

  private static JsonNode awaitEnd(long jobId) {
    return await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.job(jobId), job -> job.path("completed_at").isTextual());
  }
}
