package dev.trainyard.app.logging;

import java.util.Map;

/** One log line layout for every process and appender: the job's trace id on every line. */
public final class LogFormat {
  public static final String PATTERN =
      "%d{ISO8601} %-5level [%thread] %logger{36} trace=%X{trace_id:-} - %msg%n";

  /**
   * Loggers turned down everywhere: lines that look alarming but are expected here (the Temporal
   * test server has no worker heartbeats).
   */
  public static final Map<String, String> QUIETED =
      Map.of("io.temporal.internal.worker.HeartbeatManager", "ERROR");

  private LogFormat() {}
}
