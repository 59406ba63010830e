package dev.trainyard.bench.support;

import dev.trainyard.bench.launcher.LaunchSink;
import dev.trainyard.bench.launcher.SimulatedLaunch;

/** Lets one stack serve tests that want manual trainers and tests that want a fleet. */
public final class SwitchableSink implements LaunchSink {
  private volatile LaunchSink target;

  public SwitchableSink(LaunchSink target) {
    this.target = target;
  }

  public void switchTo(LaunchSink target) {
    this.target = target;
  }

  @Override
  public void launched(SimulatedLaunch launch) {
    target.launched(launch);
  }

  @Override
  public void stop(long jobId) {
    target.stop(jobId);
  }
}
