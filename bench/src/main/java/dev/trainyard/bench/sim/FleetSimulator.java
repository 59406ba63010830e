package dev.trainyard.bench.sim;

import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.launcher.SimulatedLaunch;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Virtual trainers for every launch the {@code SimulatedLauncher} hands over: each heartbeats its
 * job over real HTTP every {@code interval} (random phase, first one at once) with a metrics
 * payload of about {@code payloadBytes}, until it is stopped, goes silent, or sends done. At most
 * {@code maxInFlight} calls are outstanding; a trainer whose previous heartbeat is still in flight
 * skips a beat rather than piling up (and the skip is counted).
 */
public final class FleetSimulator implements LaunchSink, AutoCloseable {
  private final Duration interval;
  private final int payloadBytes;
  private final Semaphore permits;
  private final ScheduledExecutorService ticks =
      Executors.newScheduledThreadPool(2, daemon("sim-tick"));
  private final CallbackClient client;
  private final Map<Long, VirtualTrainer> trainers = new ConcurrentHashMap<>();
  private final LongAdder skippedBusy = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder transportErrors = new LongAdder();
  private final Map<Integer, LongAdder> heartbeatStatuses = new ConcurrentHashMap<>();
  private final LongAdder windowAccepted = new LongAdder();
  private final LongAdder windowCalls = new LongAdder();
  private volatile LatencyRecorder window;
  private volatile boolean paused;

  public FleetSimulator(Duration interval, int payloadBytes, int maxInFlight) {
    this.interval = interval;
    this.payloadBytes = payloadBytes;
    this.permits = new Semaphore(maxInFlight);
    // one connection per permitted call, so a call never waits for a connection
    this.client = new CallbackClient(maxInFlight, Duration.ofSeconds(30));
  }

  @Override
  public void launched(SimulatedLaunch launch) {
    long now = System.currentTimeMillis();
    trainers.computeIfAbsent(
        launch.jobId(),
        id -> {
          VirtualTrainer trainer = new VirtualTrainer(launch, now);
          long phase = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()));
          ticks.execute(() -> beat(trainer));
          trainer.schedule =
              ticks.scheduleAtFixedRate(
                  () -> beat(trainer), phase, interval.toMillis(), TimeUnit.MILLISECONDS);
          return trainer;
        });
  }

  @Override
  public void stop(long jobId) {
    VirtualTrainer trainer = trainers.get(jobId);
    if (trainer != null) {
      trainer.stopped = true;
    }
  }

  public VirtualTrainer trainer(long jobId) {
    return trainers.get(jobId);
  }

  public Collection<VirtualTrainer> trainers() {
    return trainers.values();
  }

  /** Starts a measurement window: latencies and accepted counts from now on. */
  public void startWindow() {
    windowAccepted.reset();
    windowCalls.reset();
    window = new LatencyRecorder();
  }

  /** Ends the window; returns its latencies. */
  public LatencyRecorder endWindow() {
    LatencyRecorder ended = window;
    window = null;
    return ended;
  }

  public long windowAccepted() {
    return windowAccepted.sum();
  }

  public long windowCalls() {
    return windowCalls.sum();
  }

  /** Heartbeats pause (for the engine's raw signal probe); trainers stay alive. */
  public void pause(boolean pause) {
    this.paused = pause;
  }

  private void beat(VirtualTrainer trainer) {
    if (!trainer.active() || paused) {
      return;
    }
    if (!trainer.inFlight.compareAndSet(false, true)) {
      skippedBusy.increment();
      return;
    }
    if (!permits.tryAcquire()) {
      trainer.inFlight.set(false);
      throttled.increment();
      return;
    }
    LatencyRecorder recorder = window;
    String body = Payloads.heartbeat(trainer.traceId, trainer.step.incrementAndGet(), payloadBytes);
    trainer.sent.incrementAndGet();
    client
        .post(trainer.baseUrl, trainer.jobId, "heartbeat", trainer.token, body)
        .whenComplete(
            (reply, error) -> {
              permits.release();
              trainer.inFlight.set(false);
              if (error != null) {
                transportErrors.increment();
                return;
              }
              heartbeatStatuses.computeIfAbsent(reply.status(), s -> new LongAdder()).increment();
              if (recorder != null && recorder == window) {
                recorder.record(reply.latencyNanos());
                windowCalls.increment();
              }
              if (reply.ok()) {
                long now = System.currentTimeMillis();
                if (trainer.firstAcceptedAtMillis == 0) {
                  trainer.firstAcceptedAtMillis = now;
                }
                trainer.lastAcceptedAtMillis = now;
                trainer.accepted.incrementAndGet();
                trainer.acceptedWithMetrics.incrementAndGet();
                if (recorder != null && recorder == window) {
                  windowAccepted.increment();
                }
              } else if (reply.status() == 409) {
                trainer.stopped = true; // the job has ended
              }
            });
  }

  /** Sends the trainer's done (retried on 503 or a transport error, as a trainer would). */
  public CompletableFuture<CallbackClient.Reply> finish(VirtualTrainer trainer, boolean succeeded) {
    trainer.finished = true;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", trainer.traceId);
    body.put("status", succeeded ? "succeeded" : "failed");
    if (!succeeded) {
      body.put("error", "simulated failure");
    }
    body.put("final_metrics", Map.of("loss", 0.1));
    body.put("artifacts", Map.of());
    body.put("training_time_seconds", 1);
    return sendWithRetry(trainer, body, 8);
  }

  private CompletableFuture<CallbackClient.Reply> sendWithRetry(
      VirtualTrainer trainer, Map<String, Object> body, int attemptsLeft) {
    return client
        .post(trainer.baseUrl, trainer.jobId, "done", trainer.token, body)
        .handle(
            (reply, error) -> {
              boolean retry = error != null || reply.status() == 503;
              if (retry && attemptsLeft > 1) {
                return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS))
                    .thenCompose(v -> sendWithRetry(trainer, body, attemptsLeft - 1));
              }
              return error != null
                  ? CompletableFuture.<CallbackClient.Reply>failedFuture(error)
                  : CompletableFuture.completedFuture(reply);
            })
        .thenCompose(f -> f);
  }

  public Map<String, Long> heartbeatStatusCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    heartbeatStatuses.forEach((status, n) -> counts.put(Integer.toString(status), n.sum()));
    counts.put("transport_error", transportErrors.sum());
    counts.put("skipped_busy", skippedBusy.sum());
    counts.put("throttled", throttled.sum());
    return counts;
  }

  public CallbackClient client() {
    return client;
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    client.close();
  }
}
