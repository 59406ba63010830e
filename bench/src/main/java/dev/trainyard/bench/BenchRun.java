package dev.trainyard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.bench.report.EngineSignalProbe;
import dev.trainyard.bench.report.ProcessSampler;
import dev.trainyard.bench.report.StreamClients;
import dev.trainyard.bench.report.UserApiProbe;
import dev.trainyard.bench.report.Verification;
import dev.trainyard.bench.sim.BenchJob;
import dev.trainyard.bench.sim.CallbackClient;
import dev.trainyard.bench.sim.FleetSimulator;
import dev.trainyard.bench.sim.LatencyRecorder;
import dev.trainyard.bench.sim.VirtualTrainer;
import dev.trainyard.bench.stack.BenchAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * One benchmark run against a running stack: submit, let the fleet heartbeat, measure, end every
 * job, verify against PostgreSQL. Phases, in order:
 *
 * <ol>
 *   <li>latency sample: jobs submitted one at a time; submit → trainer started, and first
 *       heartbeat's 200 → status running visible in the API (a signalled callback's lag);
 *   <li>bulk submit of the rest;
 *   <li>steady window of {@code duration}: rate, latency, errors; silent trainers stop midway and
 *       must be failed within their timeout + 1 s;
 *   <li>done for the sampled jobs, one at a time: done's 200 → terminal status visible;
 *   <li>the engine's raw one-signal-per-call rate, on the jobs still running;
 *   <li>done for every other job;
 *   <li>verification: lost callbacks, one terminal transition per job, false timeouts.
 * </ol>
 */
final class BenchRun {
  private final BenchOptions options;
  private final FleetSimulator fleet;
  private final ApiClient api;
  private final String apiUrl;
  private final String apiKey;
  private final Jdbi jdbi;
  private final String temporalTarget;
  private final ProcessSampler sampler;
  final Map<String, Object> results = new LinkedHashMap<>();

  BenchRun(
      BenchOptions options,
      FleetSimulator fleet,
      String apiUrl,
      Jdbi jdbi,
      String temporalTarget,
      ProcessSampler sampler) {
    this.options = options;
    this.fleet = fleet;
    this.apiUrl = apiUrl;
    this.apiKey = BenchAccess.adminKey(jdbi);
    this.api = BenchJob.client(apiUrl, apiKey);
    this.jdbi = jdbi;
    this.temporalTarget = temporalTarget;
    this.sampler = sampler;
  }

  Map<String, Object> run() throws Exception {
    LatencyRecorder submitToStart = new LatencyRecorder();
    LatencyRecorder heartbeatToRunning = new LatencyRecorder();
    List<Long> sampled = new ArrayList<>();
    for (int i = 0; i < Math.min(options.latencySample, options.jobs); i++) {
      long t0 = System.currentTimeMillis();
      long job = BenchJob.submit(api, options.heartbeatTimeoutSeconds);
      VirtualTrainer trainer = awaitTrainer(job, Duration.ofSeconds(60));
      submitToStart.record((trainer.startedAtMillis - t0) * 1_000_000);
      waitUntil(() -> trainer.firstAcceptedAtMillis > 0, Duration.ofSeconds(60));
      pollJob(job, j -> j.get("status").asText().equals("running"), Duration.ofSeconds(60));
      heartbeatToRunning.record(
          (System.currentTimeMillis() - trainer.firstAcceptedAtMillis) * 1_000_000);
      sampled.add(job);
    }
    results.put("submit_to_trainer_started_ms", submitToStart.summary());
    results.put("first_heartbeat_to_running_visible_ms", heartbeatToRunning.summary());

    long bulkStart = System.currentTimeMillis();
    List<Long> bulk = submitBulk(options.jobs - sampled.size());
    List<Long> all = new ArrayList<>(sampled);
    all.addAll(bulk);
    Duration startPatience = Duration.ofSeconds(options.startTimeoutSeconds);
    long launched = waitForAll(all, startPatience);
    long running = waitForRunningCount(all.size(), Duration.ofSeconds(5));
    results.put(
        "bulk_submit",
        Map.of(
            "jobs",
            bulk.size(),
            "seconds_until_all_running",
            (System.currentTimeMillis() - bulkStart) / 1000.0,
            "launched",
            launched,
            "running",
            running));

    Set<Long> silent = new HashSet<>(bulk.subList(0, Math.min(options.silent, bulk.size())));
    StreamClients streams = null;
    if (options.streamClients > 0 || options.listStreamClients > 0) {
      streams =
          StreamClients.open(
              apiUrl,
              apiKey,
              bulk.stream().filter(j -> !silent.contains(j)).toList(),
              options.streamClients,
              options.listStreamClients);
    }
    steadyWindow(silent, streams);
    if (streams != null) {
      results.put("stream_clients", streams.results());
      streams.close();
    }

    LatencyRecorder doneToTerminal = new LatencyRecorder();
    for (long job : sampled) {
      // Apart, as jobs end in a real fleet: sent back to back, each done met the previous job's
      // wind-down (its stop activity and last workflow tasks), which held its own workflow task
      // back by 30-45 ms even on an idle machine.
      Thread.sleep(options.doneSpacingMillis);
      VirtualTrainer trainer = fleet.trainer(job);
      CallbackClient.Reply reply = fleet.finish(trainer, true).get();
      long answered = System.currentTimeMillis();
      if (reply.ok()) {
        pollJob(job, j -> j.get("status").asText().equals("succeeded"), Duration.ofSeconds(60));
        doneToTerminal.record((System.currentTimeMillis() - answered) * 1_000_000);
      }
    }
    results.put("done_to_terminal_visible_ms", doneToTerminal.summary());
    if (options.userApiProbeSeconds > 0) {
      results.put(
          "user_api_get_job",
          UserApiProbe.run(
              api,
              bulk.stream().filter(j -> !silent.contains(j)).toList(),
              Duration.ofSeconds(options.userApiProbeSeconds)));
    }
    // After the done sample: the probe leaves every workflow a backlog of signals to work
    // through, which a done sent right after it would wait behind.
    if (options.engineProbeSeconds > 0) {
      fleet.pause(true);
      Thread.sleep(1000);
      EngineSignalProbe.Result probe =
          EngineSignalProbe.run(
              temporalTarget,
              bulk.stream().filter(j -> !silent.contains(j)).toList(),
              options.engineThreads,
              Duration.ofSeconds(options.engineProbeSeconds));
      fleet.pause(false);
      results.put("engine_raw_signals", probe);
    }

    List<CompletableFuture<CallbackClient.Reply>> dones = new ArrayList<>();
    for (long job : bulk) {
      if (!silent.contains(job)) {
        dones.add(fleet.finish(fleet.trainer(job), true));
        if (dones.size() % 200 == 0) {
          CompletableFuture.allOf(dones.toArray(CompletableFuture[]::new)).join();
        }
      }
    }
    CompletableFuture.allOf(dones.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .join();
    waitForTerminalCount(all.size(), Duration.ofMinutes(10));
    Thread.sleep(2000);
    results.put("verification", Verification.check(jdbi, fleet.trainers(), silent));
    results.put("heartbeat_replies_all_phases", fleet.heartbeatStatusCounts());
    return results;
  }

  private void steadyWindow(Set<Long> silent, StreamClients streams) throws Exception {
    Thread.sleep(options.warmupSeconds * 1000L);
    if (streams != null) {
      streams.mark();
    }
    Map<String, Long> statusesBefore = fleet.heartbeatStatusCounts();
    sampler.mark();
    fleet.startWindow();
    long start = System.nanoTime();
    long half = System.currentTimeMillis() + options.durationSeconds * 500L;
    Thread.sleep(Math.max(0, half - System.currentTimeMillis()));
    silent.forEach(job -> fleet.trainer(job).silent = true);
    Map<Long, Long> silenceDetection = watchSilent(silent);
    long remaining = start + options.durationSeconds * 1_000_000_000L - System.nanoTime();
    Thread.sleep(Math.max(0, remaining / 1_000_000));
    LatencyRecorder latency = fleet.endWindow();
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.stop();
    Map<String, Long> statusesAfter = fleet.heartbeatStatusCounts();
    Map<String, Long> windowStatuses = new LinkedHashMap<>();
    statusesAfter.forEach((k, v) -> windowStatuses.put(k, v - statusesBefore.getOrDefault(k, 0L)));
    Map<String, Object> window = new LinkedHashMap<>();
    window.put("seconds", seconds);
    window.put("heartbeats_answered", fleet.windowCalls());
    window.put("heartbeats_accepted", fleet.windowAccepted());
    window.put("heartbeats_per_second", fleet.windowAccepted() / seconds);
    window.put("offered_per_second", (double) options.jobs / options.intervalMillis * 1000.0);
    window.put("latency_ms", latency.summary());
    window.put("replies", windowStatuses);
    window.put("processes", sampler.results());
    results.put("steady_window", window);
    results.put("silent_trainers", silenceDetection);
  }

  /**
   * Watches silenced jobs until failed; job → ms from its last 200 to failed visible in the API.
   */
  private Map<Long, Long> watchSilent(Set<Long> silent) {
    Map<Long, Long> detection = Collections.synchronizedMap(new LinkedHashMap<>());
    for (long job : silent) {
      Thread watcher =
          new Thread(
              () -> {
                VirtualTrainer trainer = fleet.trainer(job);
                try {
                  waitUntil(() -> !trainer.inFlight.get(), Duration.ofSeconds(30));
                  long last = trainer.lastAcceptedAtMillis;
                  // 50 ms is fine against the 1 s tolerance; polling faster would add its own load
                  // to the window
                  pollJob(
                      job,
                      j -> j.get("status").asText().equals("failed"),
                      Duration.ofSeconds(options.silentTimeoutSeconds + 120L),
                      Duration.ofMillis(50));
                  detection.put(job, System.currentTimeMillis() - last);
                } catch (Exception e) {
                  detection.put(job, -1L);
                }
              },
              "silent-watch-" + job);
      watcher.setDaemon(true);
      watcher.start();
    }
    return detection;
  }

  private List<Long> submitBulk(int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(options.submitConcurrency);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int timeout =
            i < options.silent ? options.silentTimeoutSeconds : options.heartbeatTimeoutSeconds;
        futures.add(pool.submit(() -> BenchJob.submit(api, timeout)));
      }
      List<Long> ids = new ArrayList<>();
      for (Future<Long> future : futures) {
        ids.add(future.get());
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  private VirtualTrainer awaitTrainer(long job, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (fleet.trainer(job) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + job + " was never launched");
      }
      Thread.sleep(1);
    }
    return fleet.trainer(job);
  }

  private long waitForAll(List<Long> jobs, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    long launched;
    while ((launched = jobs.stream().filter(j -> fleet.trainer(j) != null).count()) < jobs.size()
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return launched;
  }

  private long waitForRunningCount(int count, Duration patience) throws InterruptedException {
    return waitForCount(
        "SELECT count(*) FROM training_jobs WHERE status <> 'pending' AND status <> 'queued'",
        count,
        patience);
  }

  private long waitForTerminalCount(int count, Duration patience) throws InterruptedException {
    return waitForCount(
        "SELECT count(*) FROM training_jobs WHERE status IN ('succeeded','failed','cancelled')",
        count,
        patience);
  }

  private long waitForCount(String sql, int count, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    long n;
    while ((n = jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one())) < count
        && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    return n;
  }

  /** Polls one job every 2 ms: a latency sample's resolution. */
  private void pollJob(long job, Predicate<JsonNode> until, Duration patience)
      throws InterruptedException {
    pollJob(job, until, patience, Duration.ofMillis(2));
  }

  private void pollJob(long job, Predicate<JsonNode> until, Duration patience, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!until.test(api.job(job))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + job + " did not reach the expected state");
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(1);
    }
  }
}
