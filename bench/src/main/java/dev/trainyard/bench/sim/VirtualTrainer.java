package dev.trainyard.bench.sim;

import dev.trainyard.bench.launcher.SimulatedLaunch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One simulated trainer: what the launcher handed it, and what it has sent and had accepted. */
public final class VirtualTrainer {
  public final long jobId;
  public final String traceId;
  public final String baseUrl;
  final String token;

  /** Wall-clock time the simulator received the launch: "trainer process started". */
  public final long startedAtMillis;

  public final AtomicBoolean inFlight = new AtomicBoolean();
  final AtomicInteger step = new AtomicInteger();
  public final AtomicLong sent = new AtomicLong();
  public final AtomicLong accepted = new AtomicLong();

  /** Heartbeats answered 200 that carried metrics: each must be a training_metrics row. */
  public final AtomicLong acceptedWithMetrics = new AtomicLong();

  public volatile long firstAcceptedAtMillis;
  public volatile long lastAcceptedAtMillis;

  /** Stops calling back without a word (the "dropped trainer" fault). */
  public volatile boolean silent;

  /** Told to stop by the launcher, or its job has ended (409): no more heartbeats. */
  public volatile boolean stopped;

  /** Sent (or is sending) its done. */
  public volatile boolean finished;

  volatile ScheduledFuture<?> schedule;

  VirtualTrainer(SimulatedLaunch launch, long receivedAtMillis) {
    this.jobId = launch.jobId();
    this.traceId = launch.variable("TRACE_ID");
    this.baseUrl = launch.variable("BACKEND_BASE_URL");
    this.token = launch.variable("CALLBACK_TOKEN");
    this.startedAtMillis = receivedAtMillis;
  }

  boolean active() {
    return !silent && !stopped && !finished;
  }

  /** The token, for tests that forge hostile calls with it (another job's token, say). */
  public String token() {
    return token;
  }

  @Override
  public String toString() {
    return "VirtualTrainer[job " + jobId + "]";
  }
}
