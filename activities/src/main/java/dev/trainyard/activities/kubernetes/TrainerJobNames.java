package dev.trainyard.activities.kubernetes;

import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.temporal.failure.ApplicationFailure;

/**
 * Names and labels of a job's Kubernetes objects. The Job's name comes from the job id alone, so
 * every attempt of the launch activity, on any worker, addresses the same Job.
 */
public final class TrainerJobNames {
  public static final String RUNTIME = "kubernetes";

  /** Set by the Job controller on the pods it creates. */
  static final String JOB_NAME_LABEL = "job-name";

  public static final String JOB_ID_LABEL = "trainyard.dev/job-id";
  public static final String TRACE_ID_LABEL = "trainyard.dev/trace-id";
  public static final String TRACE_ID_ANNOTATION = "trainyard.dev/trace-id";
  public static final String PROJECT_LABEL = "trainyard.dev/project";
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String CONTAINER = "trainer";
  private static final String PREFIX = "trainyard-job-";
  private static final String LOG_SCHEME = "kubernetes://";

  private TrainerJobNames() {}

  /** "trainyard-job-42": DNS-1123, at most 14 + 19 characters, well under the 63 a label allows. */
  public static String jobName(long jobId) {
    if (jobId <= 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "job id must be positive: " + jobId, FailureTypes.LAUNCH_REJECTED);
    }
    return PREFIX + jobId;
  }

  /** The job id in a Job name this launcher made; 0 for any other name. */
  static long jobIdOf(String jobName) {
    try {
      return jobName.startsWith(PREFIX) ? Long.parseLong(jobName.substring(PREFIX.length())) : 0;
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
