package dev.trainyard.bench.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiReply;
import dev.trainyard.app.dev.ApiConfigFile;
import dev.trainyard.bench.stack.InProcessApi;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.Role;
import dev.trainyard.store.jobs.JobDao;
import dev.trainyard.store.jobs.JobListQuery;
import dev.trainyard.workflows.client.SearchAttributeRegistration;
import io.temporal.testserver.TestServer;
import java.io.Closeable;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/dashboard/run}: how fast the job list ({@code GET /v1/jobs}, the dashboard's list
 * page) answers with many jobs in the database. Starts PostgreSQL and the real API in this JVM,
 * inserts jobs directly with SQL (a realistic mix of statuses, projects and models), then for each
 * filter combination prints the query plan's execution time (EXPLAIN ANALYZE of the exact statement
 * the API runs) and the API's latency over HTTP, p50 and p95, at each size asked for. It also times
 * loading a 10,000-point metric chart ({@code GET /v1/jobs/{id}/metrics}).
 */
@Command(
    name = "dashboard-bench",
    mixinStandardHelpOptions = true,
    description = "Job list speed with many jobs: query plans and API latency per filter.")
public final class DashboardListBench implements Callable<Integer> {
  @Option(
      names = "--jobs",
      split = ",",
      defaultValue = "10000,200000",
      description = "Job counts to measure at, growing (default: ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(
      names = "--requests",
      defaultValue = "200",
      description = "API requests per filter and size (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--without-list-indexes",
      description = "Drop the V6 list indexes first, to measure what they gain")
  boolean withoutListIndexes;

  @Option(names = "--plans", description = "Print each query plan in full")
  boolean printPlans;

  @Option(
      names = "--browser",
      description =
          "Also time the dashboard's list page in headless chromium (needs chromium and"
              + " chromium-driver) at each size")
  boolean browser;

  private static final String[] MODELS = {
    "yolov8n.pt",
    "yolov8s.pt",
    "yolov8m.pt",
    "yolov8l.pt",
    "yolo11n.pt",
    "yolo11s.pt",
    "rtdetr-l.pt",
    "yolov8x-rare.pt"
  };

  /** A model only the three oldest jobs used. */
  private static final String OLD_MODEL = "yolov5-legacy.pt";

  public static void main(String[] args) {
    System.exit(new CommandLine(new DashboardListBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("trainyard-dashboard-bench-");
    try (EmbeddedDatabase database = EmbeddedDatabase.start(data.resolve("postgres"), 0);
        Temporal temporal = Temporal.start();
        InProcessApi api = startApi(database, temporal.target(), data)) {
      Jdbi jdbi = Database.connect(database.dataSource());
      if (withoutListIndexes) {
        DashboardData.dropListIndexes(jdbi);
      }
      DashboardData.createProjects(jdbi);
      String admin = ApiKeys.issue(jdbi, "dashboard bench", null, Role.ADMIN, null, "bench").key();
      String viewer =
          ApiKeys.issue(jdbi, "dashboard viewer", "proj-03", Role.VIEWER, null, "bench").key();
      ObjectMapper json = new ObjectMapper();
      ApiClient asAdmin = new ApiClient(api.url(), json, Duration.ofSeconds(30), admin);
      ApiClient asViewer = asAdmin.withKey(viewer);
      System.out.printf(
          Locale.ROOT,
          "machine: %d cores, load %s; indexes: %s%n",
          Runtime.getRuntime().availableProcessors(),
          Files.readString(Path.of("/proc/loadavg")).trim(),
          withoutListIndexes ? "without V6" : "with V6");
      DashboardData.insertJobs(jdbi, 3, new String[] {OLD_MODEL}, "proj-03");
      int inserted = 3;
      for (int size : sizes) {
        DashboardData.insertJobs(jdbi, size - inserted, MODELS);
        inserted = size;
        measure(jdbi, asAdmin, asViewer, size);
        if (browser) {
          measurePage(api.url(), admin);
        }
      }
      measureChart(jdbi, asAdmin);
    }
    return 0;
  }

  private void measure(Jdbi jdbi, ApiClient asAdmin, ApiClient asViewer, int size) {
    String sample = DashboardData.sampleTrace(jdbi);
    long sampleId = DashboardData.sampleId(jdbi);
    long middle = size / 2;
    List<Case> cases =
        List.of(
            new Case("no filter", asAdmin, null, null, null, null, null, null),
            new Case("status=running", asAdmin, null, "running", null, null, null, null),
            new Case("status=succeeded", asAdmin, null, "succeeded", null, null, null, null),
            new Case("project", asAdmin, null, null, "proj-03", null, null, null),
            new Case(
                "project key (own project)", asViewer, "proj-03", null, null, null, null, null),
            new Case(
                "project + status=failed", asAdmin, null, "failed", "proj-03", null, null, null),
            new Case(
                "rare project + status=running",
                asAdmin,
                null,
                "running",
                "proj-20",
                null,
                null,
                null),
            new Case("model", asAdmin, null, null, null, MODELS[1], null, null),
            new Case("rare model", asAdmin, null, null, null, MODELS[7], null, null),
            new Case("project + model", asAdmin, null, null, "proj-03", MODELS[2], null, null),
            // a value the table (nearly) lacks: without an index, the id-order scan reads it all
            new Case("model with 3 old jobs", asAdmin, null, null, null, OLD_MODEL, null, null),
            new Case(
                "project + model with 3 old jobs",
                asAdmin,
                null,
                null,
                "proj-03",
                OLD_MODEL,
                null,
                null),
            new Case(
                "project + model + status",
                asAdmin,
                null,
                "queued",
                "proj-03",
                MODELS[2],
                null,
                null),
            new Case("status + model", asAdmin, null, "cancelled", null, MODELS[5], null, null),
            new Case(
                "q = trace prefix (8)",
                asAdmin,
                null,
                null,
                null,
                null,
                sample.substring(0, 8),
                null),
            new Case(
                "q = trace prefix (1)",
                asAdmin,
                null,
                null,
                null,
                null,
                sample.substring(0, 1),
                null),
            new Case("q = job id", asAdmin, null, null, null, null, String.valueOf(sampleId), null),
            new Case("q matching nothing", asAdmin, null, null, null, null, "zzzz", null),
            new Case(
                "project + q", asAdmin, null, null, "proj-03", null, sample.substring(0, 2), null),
            new Case(
                "no filter, page at the middle", asAdmin, null, null, null, null, null, middle),
            new Case(
                "status=running, page at the middle",
                asAdmin,
                null,
                "running",
                null,
                null,
                null,
                middle));
    System.out.printf(Locale.ROOT, "%n%,d jobs%n", size);
    System.out.printf(
        Locale.ROOT,
        "| %-36s | %9s | %9s | %9s | %5s | %s%n",
        "filter",
        "plan ms",
        "API p50",
        "API p95",
        "rows",
        "plan");
    for (Case c : cases) {
      String plan = explain(jdbi, c);
      double planMillis = planMillis(plan);
      Latency latency = latency(c);
      System.out.printf(
          Locale.ROOT,
          "| %-36s | %9.3f | %7.1f ms | %7.1f ms | %5d | %s%n",
          c.name(),
          planMillis,
          latency.p50,
          latency.p95,
          latency.rows,
          topNode(plan));
      if (printPlans) {
        System.out.println(plan.indent(4));
      }
    }
  }

  /** EXPLAIN ANALYZE of the statement the API runs for this case (as the admin asks it). */
  private static String explain(Jdbi jdbi, Case c) {
    String project = c.project() != null ? c.project() : c.keyProject();
    String prefix = c.q() == null ? null : c.q().toLowerCase(Locale.ROOT);
    Long jobId =
        c.q() != null && c.q().chars().allMatch(Character::isDigit) ? Long.valueOf(c.q()) : null;
    JobListQuery query =
        new JobListQuery(c.status(), project, c.model(), jobId, prefix, c.before(), 51);
    return jdbi.withHandle(
        h ->
            String.join(
                "\n",
                h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + JobDao.listSql(query))
                    .bindMethods(query)
                    .bind("traceTo", query.traceUpperBound())
                    .configure(
                        org.jdbi.v3.core.statement.SqlStatements.class,
                        s -> s.setUnusedBindingAllowed(true))
                    .mapTo(String.class)
                    .list()));
  }

  private Latency latency(Case c) {
    String path = c.path();
    int rows = 0;
    for (int i = 0; i < 20; i++) {
      // warm-up, and past PostgreSQL's switch to a generic plan after five executions
      rows = rows(c.api().send("GET", path, null));
    }
    double[] millis = new double[requests];
    for (int i = 0; i < requests; i++) {
      long start = System.nanoTime();
      rows(c.api().send("GET", path, null));
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return new Latency(
        millis[(int) (requests * 0.50)],
        millis[Math.min(requests - 1, (int) (requests * 0.95))],
        rows);
  }

  private static int rows(ApiReply reply) {
    if (reply.status() != 200) {
      throw new IllegalStateException("the list answered " + reply.status() + ": " + reply.body());
    }
    // count jobs without parsing: each job carries one "job_id"
    return reply.body().split("\"job_id\"", -1).length - 1;
  }

  private static void measurePage(String url, String key) {
    if (!ListPageProbe.available()) {
      throw new IllegalStateException(
          "--browser needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium"
              + " chromium-driver)");
    }
    try (ListPageProbe page = new ListPageProbe(url, key)) {
      page.measure("list page, no filter", "#/jobs", 50, 10);
      page.measure("list page, status=running", "#/jobs?status=running", 50, 10);
    }
  }

  private void measureChart(Jdbi jdbi, ApiClient asAdmin) {
    long job = DashboardData.sampleId(jdbi);
    DashboardData.insertMetrics(jdbi, job, 10_000);
    double[] millis = new double[20];
    for (int i = -5; i < millis.length; i++) {
      long start = System.nanoTime();
      int points = 0;
      Long after = null;
      int calls = 0;
      while (true) {
        var page = asAdmin.metrics(job, after, 5000);
        calls++;
        points += page.path("metrics").size();
        if (page.path("next_after").isNull()) {
          break;
        }
        after = page.path("next_after").asLong();
      }
      if (points != 10_000 || calls != 2) {
        throw new IllegalStateException(points + " points in " + calls + " calls");
      }
      if (i >= 0) {
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(millis);
    System.out.printf(
        Locale.ROOT,
        "%nmetric chart: 10,000 points in 2 calls of limit=5000: p50 %.1f ms, p95 %.1f ms%n",
        millis[millis.length / 2],
        millis[(int) (millis.length * 0.95)]);
  }

  private static double planMillis(String plan) {
    for (String line : plan.lines().toList()) {
      if (line.startsWith("Execution Time:")) {
        return Double.parseDouble(line.replaceAll("[^0-9.]", ""));
      }
    }
    return Double.NaN;
  }

  /** The plan's first node and the indexes it uses, on one line. */
  private static String topNode(String plan) {
    List<String> scans = new ArrayList<>();
    for (String line : plan.lines().toList()) {
      String node = line.strip().replaceFirst("^->\\s*", "");
      if (node.contains(" on ") && (node.contains("Scan") || node.contains("scan"))) {
        scans.add(node.replaceAll("\\s+\\(cost.*", "").replace("training_jobs", "t"));
      }
    }
    return String.join("; ", scans);
  }

  private record Latency(double p50, double p95, int rows) {}

  /**
   * One filter combination, asked with {@code api}'s key; {@code keyProject} is the project that
   * key is limited to (null for the admin), which the API adds to the query.
   */
  private record Case(
      String name,
      ApiClient api,
      String keyProject,
      String status,
      String project,
      String model,
      String q,
      Long before) {
    String path() {
      StringBuilder path = new StringBuilder("/v1/jobs?limit=50");
      param(path, "status", status);
      param(path, "project", project);
      param(path, "model", model);
      param(path, "q", q);
      param(path, "before", before);
      return path.toString();
    }

    private static void param(StringBuilder path, String name, Object value) {
      if (value != null) {
        path.append('&').append(name).append('=').append(value);
      }
    }
  }

  /**
   * Temporal's test server on a port: the API connects to one when it starts (the list never calls
   * it).
   */
  private record Temporal(Closeable server, String target) implements Closeable {
    static Temporal start() throws Exception {
      int port = freePort();
      Closeable server = TestServer.createPortBoundServer(port);
      SearchAttributeRegistration.register("127.0.0.1:" + port, "default");
      return new Temporal(server, "127.0.0.1:" + port);
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  private static InProcessApi startApi(EmbeddedDatabase database, String temporalTarget, Path data)
      throws Exception {
    Path config =
        ApiConfigFile.of(
                database.jdbcUrl(),
                temporalTarget,
                "dashboard-bench-" + UUID.randomUUID() + UUID.randomUUID(),
                freePort())
            .databasePool(16)
            .logLevels("WARN", Map.of())
            .write(data.resolve("api.yml"));
    return InProcessApi.start(config);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
