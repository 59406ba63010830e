package dev.trainyard.activities.kubernetes;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.failure.ApplicationFailure;

/**
 * Names and labels of a job's Kubernetes objects. The Job's name comes from the job id and the
 * job's attempt alone, so every try of one attempt's launch activity, on any worker, addresses the
 * same Job, and each attempt of the job (a retry of its trainer) gets a new one: {@code
 * trainyard-job-<id>} for attempt 1 (the name before retries existed), {@code
 * trainyard-job-<id>-a<n>} for attempt n ≥ 2.
 */
public final class TrainerJobNames {
  public static final String RUNTIME = "kubernetes";

  /** Set by the Job controller on the pods it creates. */
  static final String JOB_NAME_LABEL = "job-name";

  public static final String JOB_ID_LABEL = "trainyard.dev/job-id";
  public static final String TRACE_ID_LABEL = "trainyard.dev/trace-id";
  public static final String TRACE_ID_ANNOTATION = "trainyard.dev/trace-id";
  public static final String PROJECT_LABEL = "trainyard.dev/project";
  public static final String ATTEMPT_LABEL = "trainyard.dev/attempt";
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String CONTAINER = "trainer";
  private static final String PREFIX = "trainyard-job-";
  private static final String ATTEMPT_INFIX = "-a";

  /** The most attempts a name is made for (the API accepts tokens for attempts up to this). */
  static final int MAX_ATTEMPT = 1000;

  private static final String LOG_SCHEME = "kubernetes://";

  private TrainerJobNames() {}

  /** "trainyard-job-42": DNS-1123, at most 14 + 19 characters, well under the 63 a label allows. */
  public static String jobName(long jobId) {
    return jobName(jobId, 1);
  }

  /**
   * The Job of one attempt: attempt 1 keeps the name above, attempt n ≥ 2 is {@code
   * trainyard-job-<id>-a<n>} (at most 14 + 19 + 5 characters).
   */
  public static String jobName(long jobId, int attempt) {
    if (jobId <= 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "job id must be positive: " + jobId, FailureTypes.LAUNCH_REJECTED);
    }
    if (attempt < 1 || attempt > MAX_ATTEMPT) {
      throw ApplicationFailure.newNonRetryableFailure(
          "attempt must be 1.." + MAX_ATTEMPT + ": " + attempt, FailureTypes.LAUNCH_REJECTED);
    }
    return attempt == 1 ? PREFIX + jobId : PREFIX + jobId + ATTEMPT_INFIX + attempt;
  }

  /** The job id in a Job name this launcher made (of any attempt); 0 for any other name. */
  static long jobIdOf(String jobName) {
    if (jobName == null || !jobName.startsWith(PREFIX)) {
      return 0;
    }
    String rest = jobName.substring(PREFIX.length());
    int infix = rest.indexOf(ATTEMPT_INFIX);
    try {
      long id = Long.parseLong(infix < 0 ? rest : rest.substring(0, infix));
      return id > 0 && (infix < 0 || attemptOf(jobName) >= 2) ? id : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The attempt a Job name this launcher made is for (1 without a suffix); 0 for any other. */
  static int attemptOf(String jobName) {
    if (jobName == null || !jobName.startsWith(PREFIX)) {
      return 0;
    }
    String rest = jobName.substring(PREFIX.length());
    int infix = rest.indexOf(ATTEMPT_INFIX);
    if (infix < 0) {
      return 1;
    }
    try {
      int attempt = Integer.parseInt(rest.substring(infix + ATTEMPT_INFIX.length()));
      // "-a1" and "-a007" are no names this launcher makes
      return attempt >= 2
              && attempt <= MAX_ATTEMPT
              && rest.substring(infix + ATTEMPT_INFIX.length()).equals(Integer.toString(attempt))
          ? attempt
          : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The Secret shares the Job's name (different kinds, so no clash). */
  static String secretName(String jobName) {
    return jobName;
  }

  static TrainerHandle handle(String namespace, String jobName) {
    return new TrainerHandle(RUNTIME, namespace + "/" + jobName, logLocation(namespace, jobName));
  }

  /** What {@code training_jobs.trainer_log} records: "kubernetes://ns/jobs/name". */
  public static String logLocation(String namespace, String jobName) {
    return LOG_SCHEME + namespace + "/jobs/" + jobName;
  }

  /** The namespace and Job name of a {@link #logLocation}, or null when it names no Job. */
  public static String[] parseLogLocation(String location) {
    if (location == null || !location.startsWith(LOG_SCHEME)) {
      return null;
    }
    String[] parts = location.substring(LOG_SCHEME.length()).split("/");
    if (parts.length != 3
        || !"jobs".equals(parts[1])
        || !KubernetesLauncherConfig.DNS_LABEL.matcher(parts[0]).matches()
        || !KubernetesLauncherConfig.DNS_LABEL.matcher(parts[2]).matches()) {
      return null;
    }
    return new String[] {parts[0], parts[2]};
  }

  /** {namespace, job name} of a handle this launcher issued. */
  static String[] parse(TrainerHandle handle) {
    String[] parts =
        handle == null || handle.ref() == null ? new String[0] : handle.ref().split("/");
    if (handle == null
        || !RUNTIME.equals(handle.runtime())
        || parts.length != 2
        || !KubernetesLauncherConfig.DNS_LABEL.matcher(parts[0]).matches()
        || !KubernetesLauncherConfig.DNS_LABEL.matcher(parts[1]).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "not a kubernetes trainer handle: " + handle, FailureTypes.LAUNCH_REJECTED);
    }
    return parts;
  }

  /**
   * Label values allow at most 63 of [A-Za-z0-9-_.]; a trace id that does not fit stays an
   * annotation.
   */
  static boolean fitsLabel(String value) {
    return value != null && value.matches("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  }
}
