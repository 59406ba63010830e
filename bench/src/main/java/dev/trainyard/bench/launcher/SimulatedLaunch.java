package dev.trainyard.bench.launcher;

import java.util.Map;

/**
 * One trainer launch handed to the simulator instead of a process: the seed's environment exactly
 * as a real trainer would get it (JOB_ID, TRACE_ID, BACKEND_BASE_URL, CALLBACK_TOKEN, ...).
 *
 * @param launchedAtMillis wall-clock time the launcher ran (for submit → trainer started)
 */
public record SimulatedLaunch(long jobId, Map<String, String> environment, long launchedAtMillis) {
  public SimulatedLaunch {
    environment = Map.copyOf(environment);
  }

  public String variable(String name) {
    String value = environment.get(name);
    if (value == null) {
      throw new IllegalStateException("launch of job " + jobId + " lacks " + name);
    }
    return value;
  }

  // The environment holds the callback token: never print it.
  @Override
  public String toString() {
    return "SimulatedLaunch[job " + jobId + "]";
  }
}
