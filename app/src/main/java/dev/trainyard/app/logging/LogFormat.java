package dev.trainyard.app.logging;

import dev.trainyard.api.logging.LogLayouts;
import java.util.Map;

/**
 * One log line layout for every process and appender: the API's ({@link LogLayouts}), with the
 * job's id and trace id on every line.
 */
public final class LogFormat {
  public static final String PATTERN = LogLayouts.TEXT_PATTERN;

  /**
   * Loggers turned down everywhere: lines that look alarming but are expected here (the Temporal
   * test server has no worker heartbeats).
   */
  public static final Map<String, String> QUIETED =
      Map.of("io.temporal.internal.worker.HeartbeatManager", "ERROR");

  private LogFormat() {}
}
