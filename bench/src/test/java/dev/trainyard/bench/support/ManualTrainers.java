package dev.trainyard.bench.support;

import static org.awaitility.Awaitility.await;

import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.launcher.SimulatedLaunch;
import dev.trainyard.bench.sim.CallbackClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trainers that call back only when the test says so: each launch is kept for the test to drive.
 */
public final class ManualTrainers implements LaunchSink {
  private final Map<Long, SimulatedLaunch> launches = new ConcurrentHashMap<>();
  private final Set<Long> stopped = ConcurrentHashMap.newKeySet();
  public final CallbackClient client = new CallbackClient(4, Duration.ofSeconds(30));

  @Override
  public void launched(SimulatedLaunch launch) {
    launches.putIfAbsent(launch.jobId(), launch);
  }

  @Override
  public void stop(long jobId) {
    stopped.add(jobId);
  }

  public SimulatedLaunch awaitLaunch(long jobId) {
    await().atMost(Duration.ofSeconds(30)).until(() -> launches.containsKey(jobId));
    return launches.get(jobId);
  }

  public boolean wasStopped(long jobId) {
    return stopped.contains(jobId);
  }

  /** Sends one callback and waits for the answer. */
  public CallbackClient.Reply call(long jobId, String call, Object body) {
    SimulatedLaunch launch = awaitLaunch(jobId);
    return client
        .post(
            launch.variable("BACKEND_BASE_URL"),
            jobId,
            call,
            launch.variable("CALLBACK_TOKEN"),
            body)
        .join();
  }

  public String traceId(long jobId) {
    return awaitLaunch(jobId).variable("TRACE_ID");
  }
}
