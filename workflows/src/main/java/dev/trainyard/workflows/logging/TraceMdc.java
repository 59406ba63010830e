package dev.trainyard.workflows.logging;

import org.slf4j.MDC;

/**
 * Puts a job's id and trace id on every log line written while handling it ({@code %X{job_id}} and
 * {@code %X{trace_id}} in the text pattern, fields {@code job_id} and {@code trace_id} in JSON
 * lines, spelled as the trainer spells them), for as long as the try-with-resources block that
 * opened it; closing it restores what the thread had before, so nested scopes and pooled threads
 * never leak another job's ids.
 *
 * <p>For the API's handlers, the activities and the workflow's own lines (opened around each log
 * call there: a workflow thread's MDC is not the activity's, and the workflow must not keep one).
 */
public final class TraceMdc implements AutoCloseable {
  public static final String KEY = "trace_id";
  public static final String JOB_ID_KEY = "job_id";
  private final String previousTrace;
  private final String previousJob;

  private TraceMdc() {
    this.previousTrace = MDC.get(KEY);
    this.previousJob = MDC.get(JOB_ID_KEY);
  }

  /** A scope tagged with the job's ids; a null trace id leaves only the job id. */
  public static TraceMdc of(long jobId, String traceId) {
    TraceMdc scope = new TraceMdc();
    scope.set(jobId, traceId);
    return scope;
  }

  /** A scope whose job is learned inside it (from the job's row or its annotations). */
  public static TraceMdc untilKnown() {
    return new TraceMdc();
  }

  /** Tags the rest of this scope with the job's ids; a null trace id changes only the job id. */
  public void set(long jobId, String traceId) {
    MDC.put(JOB_ID_KEY, Long.toString(jobId));
    if (traceId != null) {
      MDC.put(KEY, traceId);
    }
  }

  @Override
  public void close() {
    restore(KEY, previousTrace);
    restore(JOB_ID_KEY, previousJob);
  }

  private static void restore(String key, String previous) {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
