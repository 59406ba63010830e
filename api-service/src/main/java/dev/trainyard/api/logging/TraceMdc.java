package dev.trainyard.api.logging;

import org.slf4j.MDC;

/** Puts a job's trace id on every log line written while handling it: {@code %X{trace_id}}. */
public final class TraceMdc implements AutoCloseable {
  public static final String KEY = "trace_id";
  private final String previous;

  private TraceMdc(String traceId) {
    this.previous = MDC.get(KEY);
    if (traceId != null) {
      MDC.put(KEY, traceId);
    }
  }

  public static TraceMdc of(String traceId) {
    return new TraceMdc(traceId);
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.remove(KEY);
    } else {
      MDC.put(KEY, previous);
    }
  }
}
