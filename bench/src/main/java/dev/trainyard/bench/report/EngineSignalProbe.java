package dev.trainyard.bench.report;

import dev.trainyard.bench.sim.LatencyRecorder;
import dev.trainyard.workflows.TaskQueues;
import dev.trainyard.workflows.TrainingJobWorkflow;
import dev.trainyard.workflows.client.TemporalClients;
import dev.trainyard.workflows.messages.TrainerCallback;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's raw rate of "one signal per callback": {@code threads} clients send the workflow's
 * own heartbeat signal ({@code trainerCallback}) to the running jobs' workflows, round robin, as
 * fast as the engine takes them, for {@code duration}. What the API would reach if it signalled
 * every heartbeat.
 */
public final class EngineSignalProbe {
  public record Result(
      long signals,
      long failures,
      double seconds,
      double perSecond,
      LatencyRecorder.Summary latencyMillis) {}

  private EngineSignalProbe() {}

  public static Result run(String temporalTarget, List<Long> jobIds, int threads, Duration duration)
      throws Exception {
    WorkflowClient client = TemporalClients.connect(temporalTarget, "default");
    WorkflowServiceStubs stubs = client.getWorkflowServiceStubs();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      LatencyRecorder latency = new LatencyRecorder();
      LongAdder ok = new LongAdder();
      LongAdder failed = new LongAdder();
      AtomicInteger next = new AtomicInteger();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end) {
                    long job = jobIds.get(Math.floorMod(next.getAndIncrement(), jobIds.size()));
                    TrainingJobWorkflow stub =
                        client.newWorkflowStub(
                            TrainingJobWorkflow.class, TaskQueues.workflowId(job));
                    long sent = System.nanoTime();
                    try {
                      stub.trainerCallback(
                          new TrainerCallback(
                              TrainerCallback.Kind.HEARTBEAT,
                              System.currentTimeMillis(),
                              null,
                              null));
                      latency.record(System.nanoTime() - sent);
                      ok.increment();
                    } catch (RuntimeException e) {
                      failed.increment();
                    }
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(ok.sum(), failed.sum(), seconds, ok.sum() / seconds, latency.summary());
    } finally {
      pool.shutdownNow();
      stubs.shutdown();
    }
  }
}
