package dev.trainyard.bench;

import picocli.CommandLine.Option;

/** The knobs of one run; defaults are the callback-throughput scenario. */
final class BenchOptions {
  @Option(
      names = "--jobs",
      description = "concurrent jobs (each a real job and workflow; default ${DEFAULT-VALUE})")
  int jobs = 2_000;

  @Option(
      names = "--interval-ms",
      description = "heartbeat interval per trainer (default ${DEFAULT-VALUE})")
  long intervalMillis = 1_000;

  @Option(
      names = "--payload-bytes",
      description = "metrics JSON per heartbeat, about (default ${DEFAULT-VALUE})")
  int payloadBytes = 256;

  @Option(names = "--duration-s", description = "measured steady window (default ${DEFAULT-VALUE})")
  int durationSeconds = 60;

  @Option(
      names = "--warmup-s",
      description = "heartbeats before the window opens (default ${DEFAULT-VALUE})")
  int warmupSeconds = 10;

  @Option(
      names = "--heartbeat-timeout-s",
      description = "the jobs' heartbeat_timeout_seconds (default ${DEFAULT-VALUE})")
  int heartbeatTimeoutSeconds = 60;

  @Option(
      names = "--latency-sample",
      description = "jobs submitted one at a time for latencies (default ${DEFAULT-VALUE})")
  int latencySample = 50;

  @Option(
      names = "--silent",
      description = "trainers that fall silent midway (default ${DEFAULT-VALUE})")
  int silent = 5;

  @Option(
      names = "--silent-timeout-s",
      description = "heartbeat timeout of the silent ones (default ${DEFAULT-VALUE})")
  int silentTimeoutSeconds = 10;

  @Option(
      names = "--submit-concurrency",
      description = "parallel submits in the bulk phase (default ${DEFAULT-VALUE})")
  int submitConcurrency = 8;

  @Option(
      names = "--start-timeout-s",
      description =
          "longest wait for every job to run before the window opens anyway (default ${DEFAULT-VALUE})")
  int startTimeoutSeconds = 1800;

  @Option(
      names = "--max-in-flight",
      description = "outstanding HTTP calls at most (default ${DEFAULT-VALUE})")
  int maxInFlight = 256;

  @Option(
      names = "--done-spacing-ms",
      description = "pause before each sampled done (default ${DEFAULT-VALUE})")
  long doneSpacingMillis = 500;

  @Option(
      names = "--user-api-probe-s",
      description =
          "seconds of GET /v1/jobs/{id} with an API key while the fleet runs (default ${DEFAULT-VALUE})")
  int userApiProbeSeconds = 10;

  @Option(
      names = "--engine-probe-s",
      description = "seconds of raw one-signal-per-call (0 = skip; default ${DEFAULT-VALUE})")
  int engineProbeSeconds = 15;

  @Option(
      names = "--engine-threads",
      description = "signalling threads of the probe (default ${DEFAULT-VALUE})")
  int engineThreads = 16;

  @Option(
      names = "--progress-signal-interval-s",
      description = "API: callbacks.progressSignalInterval (default ${DEFAULT-VALUE})")
  int progressSignalIntervalSeconds = 30;

  @Option(names = "--api-db-pool", description = "API: database.maxSize (default ${DEFAULT-VALUE})")
  int apiDatabasePool = 32;

  @Option(
      names = "--stream-clients",
      description =
          "live job streams (GET /v1/jobs/{id}/stream, one running job each) open during the"
              + " steady window (default ${DEFAULT-VALUE})")
  int streamClients = 0;

  @Option(
      names = "--list-stream-clients",
      description = "live list streams (GET /v1/jobs/stream) open during the steady window")
  int listStreamClients = 0;

  @Option(
      names = "--no-metrics",
      description =
          "API: prometheus.enabled false (no-op meters, /metrics 404), to measure what the"
              + " metrics cost; the default runs with them on, as production does")
  boolean noMetrics;

  @Option(
      names = "--temporal-in-memory",
      description = "run the Temporal dev server without its SQLite file")
  boolean temporalInMemory;

  @Option(names = "--java-opts", description = "JVM options of the API and worker processes")
  String javaOptions = "";

  @Option(
      names = "--data-dir",
      description = "where the stack keeps its data and logs (default: a new temp dir)")
  java.nio.file.Path dataDirectory;

  @Option(names = "--json", description = "write the results here as JSON")
  java.nio.file.Path json;
}
