package dev.trainyard.workflows.logging;

import org.slf4j.MDC;

/**
 * Puts a job's trace id on every log line written while handling it ({@code %X{trace_id}} in the
 * log pattern), for as long as the try-with-resources block that opened it; closing it restores
 * what the thread had before, so nested scopes and pooled threads never leak another job's id.
 *
 * <p>For the API's handlers and the activities. Workflow code does not use it: the workflow's lines
 * carry the trace id in their text, and a workflow thread's MDC is not the activity's.
 */
public final class TraceMdc implements AutoCloseable {
  public static final String KEY = "trace_id";
  private final String previous;

  private TraceMdc(String traceId) {
    this.previous = MDC.get(KEY);
    set(traceId);
  }

  /** A scope tagged with {@code traceId}; a null id leaves the lines as they were. */
  public static TraceMdc of(String traceId) {
    return new TraceMdc(traceId);
  }

  /** A scope whose trace id is learned inside it (from the job's row or its annotations). */
  public static TraceMdc untilKnown() {
    return new TraceMdc(null);
  }

  /** Tags the rest of this scope with {@code traceId}; a null id changes nothing. */
  public void set(String traceId) {
    if (traceId != null) {
      MDC.put(KEY, traceId);
    }
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
