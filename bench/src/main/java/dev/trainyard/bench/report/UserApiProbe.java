package dev.trainyard.bench.report;

import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.bench.sim.LatencyRecorder;
import java.time.Duration;
import java.util.List;

/**
 * A user reading jobs while the fleet runs: {@code GET /v1/jobs/{id}} with an API key, one request
 * after another over the running jobs, for {@code duration}. Its latency is what access control
 * adds to a user call (key check, then the project check on the row read anyway) plus the read.
 */
public final class UserApiProbe {
  public record Result(long requests, long failures, LatencyRecorder.Summary latencyMillis) {}

  private UserApiProbe() {}

  public static Result run(ApiClient api, List<Long> jobIds, Duration duration) {
    LatencyRecorder latency = new LatencyRecorder();
    long failures = 0;
    long requests = 0;
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      long job = jobIds.get((int) (requests % jobIds.size()));
      long sent = System.nanoTime();
      try {
        api.job(job);
        latency.record(System.nanoTime() - sent);
      } catch (RuntimeException e) {
        failures++;
      }
      requests++;
    }
    return new Result(requests, failures, latency.summary());
  }
}
