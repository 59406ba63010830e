package dev.trainyard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trainyard.bench.report.ApiMetricsScrape;
import dev.trainyard.bench.report.ProcessSampler;
import dev.trainyard.bench.report.ResultTable;
import dev.trainyard.bench.sim.FleetSimulator;
import dev.trainyard.bench.stack.ProcessStack;
import dev.trainyard.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench/run}: starts the stack in its production shape on this machine (PostgreSQL,
 * Temporal, the API and one worker as separate processes), drives a fleet of simulated trainers
 * through it, prints a table and writes JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Fleet simulator: real jobs, virtual trainers, real HTTP callbacks.")
public final class Main implements Callable<Integer> {
  @Mixin BenchOptions options = new BenchOptions();

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path data =
        options.dataDirectory != null
            ? options.dataDirectory
            : Files.createTempDirectory("trainyard-bench-");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("started_at", Instant.now().toString());
    report.put("machine", Machine.describe());
    report.put(
        "options",
        Map.of(
            "jobs",
            options.jobs,
            "interval_ms",
            options.intervalMillis,
            "payload_bytes",
            options.payloadBytes,
            "duration_s",
            options.durationSeconds,
            "heartbeat_timeout_s",
            options.heartbeatTimeoutSeconds,
            "progress_signal_interval_s",
            options.progressSignalIntervalSeconds,
            "api_db_pool",
            options.apiDatabasePool,
            "silent",
            options.silent,
            "silent_timeout_s",
            options.silentTimeoutSeconds,
            "api_metrics",
            options.noMetrics ? "off" : "on"));
    ProcessStack.Settings settings =
        new ProcessStack.Settings(
            data,
            temporalCli(),
            repositoryFolder("temporal-config"),
            options.temporalInMemory,
            options.apiDatabasePool,
            Duration.ofSeconds(options.progressSignalIntervalSeconds),
            options.javaOptions,
            !options.noMetrics);
    try (FleetSimulator fleet =
            new FleetSimulator(
                Duration.ofMillis(options.intervalMillis),
                options.payloadBytes,
                options.maxInFlight);
        ProcessStack stack = ProcessStack.start(settings, fleet);
        ProcessSampler sampler = new ProcessSampler(stack.processGroups())) {
      // Ctrl-C or kill mid-run must not leave PostgreSQL, Temporal, the API and the worker behind.
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stack-stop"));
      System.err.println("bench: stack up (" + stack.temporalDescription() + "), data in " + data);
      report.put("temporal", stack.temporalDescription());
      // SQL objects too: the bench makes its project and key through the store's DAOs
      Jdbi jdbi = Database.configure(Jdbi.create(stack.jdbcUrl(), "postgres", ""));
      BenchRun run =
          new BenchRun(options, fleet, stack.apiUrl(), jdbi, stack.temporalTarget(), sampler);
      try {
        report.putAll(run.run());
      } catch (Exception e) {
        report.putAll(run.results);
        report.put("error", e.toString());
        e.printStackTrace();
      }
      if (!options.noMetrics) {
        // what Prometheus would have scraped: proof the meters ran, and their count to compare
        report.put("api_metrics_scrape", ApiMetricsScrape.read(stack.apiAdminUrl()));
      }
      report.put("load_average_after", Machine.loadAverage());
    }
    System.out.println(ResultTable.render(report));
    if (options.json != null) {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(options.json.toFile(), report);
      System.err.println("bench: wrote " + options.json);
    }
    return report.containsKey("error") ? 1 : 0;
  }

  private static Optional<Path> temporalCli() {
    String explicit = System.getenv("TRAINYARD_TEMPORAL_BIN");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit));
    }
    Path cached =
        Path.of(System.getProperty("user.home"), ".cache", "trainyard", "bin", "temporal");
    if (Files.isExecutable(cached)) {
      return Optional.of(cached);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "temporal");
      if (!dir.isBlank() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> repositoryFolder(String name) {
    String home = System.getenv("TRAINYARD_HOME");
    Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    Path folder = root.resolve(name);
    return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
  }
}
