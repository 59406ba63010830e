package dev.trainyard.bench.stack;

/**
 * The log line of a bench stack's API ({@code api.log}, warnings only): Dropwizard's default layout
 * (level, UTC time, logger) with the job's trace id added.
 */
final class BenchLogFormat {
  static final String API = "%-5p [%d{ISO8601,UTC}] [trace_id=%X{trace_id}] %c: %m%n%rEx";

  private BenchLogFormat() {}
}
