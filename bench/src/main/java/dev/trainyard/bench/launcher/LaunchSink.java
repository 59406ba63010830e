package dev.trainyard.bench.launcher;

/**
 * Where {@link SimulatedLauncher} sends its trainers: the fleet simulator, here or in another
 * process.
 */
public interface LaunchSink {
  /** Starts (or, for a retried launch, keeps) the virtual trainer of {@code launch.jobId()}. */
  void launched(SimulatedLaunch launch);

  /** Tells the job's virtual trainer to stop calling back, as a killed process would. */
  void stop(long jobId);
}
