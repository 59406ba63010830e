package dev.trainyard.api.http;

import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.RollingPolicy;
import ch.qos.logback.core.rolling.RolloverFailure;
import ch.qos.logback.core.rolling.helper.CompressionMode;
import java.nio.file.Path;

/**
 * A rolling file appender's policy, unchanged, except that after each rollover the next active file
 * is created 0640 before the appender opens it (the appender opens the active file right after
 * {@link #rollover()} returns, in append mode, so it keeps the mode). The appender still triggers
 * through the original policy, which stays its triggering policy.
 */
final class PrivateRollover implements RollingPolicy {
  private final RollingPolicy policy;

  PrivateRollover(RollingPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void rollover() throws RolloverFailure {
    policy.rollover();
    LogFilePermissions.createPrivate(Path.of(policy.getActiveFileName()));
  }

  @Override
  public String getActiveFileName() {
    return policy.getActiveFileName();
  }

  @Override
  public CompressionMode getCompressionMode() {
    return policy.getCompressionMode();
  }

  @Override
  public void setParent(FileAppender<?> appender) {
    policy.setParent(appender);
  }

  @Override
  public void start() {
    policy.start();
  }

  @Override
  public void stop() {
    policy.stop();
  }

  @Override
  public boolean isStarted() {
    return policy.isStarted();
  }
}
