package dev.trainyard.activities.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trainer's Job and pod and decides whether the trainer has ended, and how. One instance
 * watches one Job: it remembers since when a pod has been stuck, for the limits that tolerate a
 * briefly unschedulable pod or a registry hiccup.
 */
final class TrainerPodInspector {
  static final Set<String> IMAGE_PULL_ERRORS =
      Set.of(
          "ErrImagePull", "ImagePullBackOff", "RegistryUnavailable", "SignatureValidationFailed");

  /** These never heal by waiting. */
  static final Set<String> HOPELESS_IMAGE_ERRORS = Set.of("InvalidImageName", "ErrImageNeverPull");

  static final Set<String> CONFIG_ERRORS =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  /**
   * The pod condition Kubernetes (1.26+) sets on a pod it is about to disrupt, and what each of its
   * reasons means for the trainer: the scheduler made room for a pod of higher priority, the node
   * went away (the taint manager or the pod garbage collector removed its pods), or the pod was
   * evicted (the eviction API: a drain, an autoscaler; or the kubelet: node pressure, a node
   * shutdown).
   */
  static final String DISRUPTION_TARGET = "DisruptionTarget";

  static final Map<String, String> DISRUPTION_CAUSES =
      Map.of(
          "PreemptionByScheduler", "preempted",
          "PreemptionByKubeScheduler", "preempted",
          "DeletionByTaintManager", "node_lost",
          "DeletionByPodGC", "node_lost",
          "EvictionByEvictionAPI", "evicted",
          "TerminationByKubelet", "evicted");

  /** Causes whose pod never ends by itself: its node is gone, so the kubelet reports nothing. */
  private static final Set<String> NODE_GONE = Set.of("node_lost");

  /** What one look found. {@code verdict} is null while the trainer still runs or waits. */
  record Observation(String phase, Verdict verdict) {}

  /**
   * How the trainer ended. {@code podStillAlive} means the pod never ran to an end (stuck pulling,
   * unschedulable), so the launcher must remove it; {@code ran} that its log is worth reading.
   */
  record Verdict(
      String cause,
      Integer exitCode,
      String message,
      String podName,
      boolean ran,
      boolean podStillAlive) {}

  private final Duration unschedulableLimit;
  private final Duration imagePullLimit;
  private final Map<String, Instant> stuckSince = new HashMap<>();

  /** The disruption last seen on the watched pod, in case the pod is gone before it is seen end. */
  private String disruption;

  private String disruptionMessage;

  TrainerPodInspector(Duration unschedulableLimit, Duration imagePullLimit) {
    this.unschedulableLimit = unschedulableLimit;
    this.imagePullLimit = imagePullLimit;
  }

  Observation inspect(Job job, List<Pod> pods, Instant now) {
    Pod pod =
        pods.stream()
            .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())))
            .orElse(null);
    JobCondition deadline = condition(job, "Failed", "DeadlineExceeded");
    if (deadline != null) {
      ContainerStateTerminated end = terminated(pod);
      return ended(
          new Verdict(
              "deadline_exceeded",
              end == null ? null : end.getExitCode(),
              "the Job ran past its activeDeadlineSeconds: " + deadline.getMessage(),
              name(pod),
              pod != null,
              false));
    }
    if (pod == null) {
      if (condition(job, "Complete", null) != null) {
        return ended(new Verdict("exited", 0, "the Job completed", null, false, false));
      }
      JobCondition failed = condition(job, "Failed", null);
      if (failed != null) {
        // The pod was removed before anyone saw it end: its node went away (or a disruption seen
        // earlier removed it).
        String cause = disruption != null ? disruption : "node_lost";
        String why =
            disruption != null && disruptionMessage != null
                ? disruptionMessage
                : "the trainer's pod is gone";
        return ended(
            new Verdict(
                cause,
                null,
                why + "; the Job failed: " + failed.getReason() + ": " + failed.getMessage(),
                null,
                false,
                false));
      }
      return new Observation(
          Boolean.TRUE.equals(job.getSpec().getSuspend()) ? "suspended" : "no pod yet", null);
    }
    noteDisruption(pod);
    String podReason = pod.getStatus() == null ? null : pod.getStatus().getReason();
    if ("NodeLost".equals(podReason)
        || (disruption != null && NODE_GONE.contains(disruption) && !ready(pod))) {
      // Its kubelet is unreachable: the pod will not report an end, and its log cannot be read.
      String message =
          "NodeLost".equals(podReason) ? pod.getStatus().getMessage() : disruptionMessage;
      ContainerStateTerminated end = terminated(pod);
      return ended(
          new Verdict(
              "node_lost",
              end == null ? null : end.getExitCode(),
              message == null ? "the trainer's node was lost" : message,
              name(pod),
              false,
              end == null));
    }
    ContainerStateTerminated end = terminated(pod);
    boolean failedPod = "Failed".equals(pod.getStatus().getPhase());
    if (end != null || failedPod) {
      Integer exitCode = end == null ? null : end.getExitCode();
      boolean ran = end != null;
      if (end != null && "OOMKilled".equals(end.getReason())) {
        return ended(new Verdict("oom_killed", exitCode, end.getMessage(), name(pod), true, false));
      }
      if (disruption != null) {
        return ended(new Verdict(disruption, exitCode, disruptionMessage, name(pod), ran, false));
      }
      if ("Evicted".equals(podReason)) {
        return ended(
            new Verdict("evicted", exitCode, pod.getStatus().getMessage(), name(pod), ran, false));
      }
      if (end != null) {
        return ended(new Verdict("exited", exitCode, end.getMessage(), name(pod), true, false));
      }
      // Rejected by the kubelet before the container ever reported a state (OutOfcpu, ...).
      String reason = podReason == null ? "pod_failed" : podReason;
      return ended(
          new Verdict(
              reason.toLowerCase(java.util.Locale.ROOT),
              null,
              pod.getStatus().getMessage(),
              name(pod),
              false,
              false));
    }
    if ("Succeeded".equals(pod.getStatus().getPhase())) {
      return ended(new Verdict("exited", 0, null, name(pod), true, false));
    }
    ContainerStateWaiting waiting = waiting(pod);
    if (waiting != null) {
      String reason = String.valueOf(waiting.getReason());
      if (HOPELESS_IMAGE_ERRORS.contains(reason)
          || (IMAGE_PULL_ERRORS.contains(reason)
              && stuckLongerThan("image", now, null, imagePullLimit))) {
        return ended(stuck("image_pull_failed", reason, waiting.getMessage(), pod));
      }
      if (CONFIG_ERRORS.contains(reason) && stuckLongerThan("config", now, null, imagePullLimit)) {
        return ended(stuck("container_config_error", reason, waiting.getMessage(), pod));
      }
    }
    PodCondition scheduled = podCondition(pod, "PodScheduled");
    if (scheduled != null
        && "False".equals(scheduled.getStatus())
        && "Unschedulable".equals(scheduled.getReason())) {
      if (stuckLongerThan(
          "unschedulable", now, scheduled.getLastTransitionTime(), unschedulableLimit)) {
        return ended(stuck("unschedulable", "Unschedulable", scheduled.getMessage(), pod));
      }
      return new Observation("unschedulable", null);
    }
    if ("Running".equals(pod.getStatus().getPhase())) {
      return new Observation("running", null);
    }
    if (scheduled != null && "True".equals(scheduled.getStatus())) {
      return new Observation(
          waiting == null ? "scheduled" : "scheduled (" + waiting.getReason() + ")", null);
    }
    return new Observation("pending", null);
  }

  /**
   * Whether the pod still reports Ready: a pod removed from a node that is still there (a NoExecute
   * taint) stops gracefully and is watched to its end; one whose node is unreachable is not Ready.
   */
  private static boolean ready(Pod pod) {
    PodCondition ready = podCondition(pod, "Ready");
    return ready != null && "True".equals(ready.getStatus());
  }

  /** Remembers the pod's DisruptionTarget condition, if it has one that tells a cause. */
  private void noteDisruption(Pod pod) {
    PodCondition target = podCondition(pod, DISRUPTION_TARGET);
    if (target != null && "True".equals(target.getStatus())) {
      String cause = DISRUPTION_CAUSES.get(target.getReason());
      if (cause != null) {
        disruption = cause;
        disruptionMessage =
            target.getReason() + (target.getMessage() == null ? "" : ": " + target.getMessage());
      }
    }
  }

  /** True once {@code what} has lasted past {@code limit}, counted from {@code since} if known. */
  private boolean stuckLongerThan(String what, Instant now, String since, Duration limit) {
    Instant first = stuckSince.computeIfAbsent(what, k -> now);
    Instant reported = parse(since);
    // The pod's own timestamp survives a worker restart; our first sighting does not.
    Instant start = reported != null && reported.isBefore(first) ? reported : first;
    return !now.isBefore(start.plus(limit));
  }

  private static Verdict stuck(String cause, String reason, String message, Pod pod) {
    return new Verdict(
        cause, null, reason + (message == null ? "" : ": " + message), name(pod), false, true);
  }

  private static Observation ended(Verdict verdict) {
    return new Observation("ended", verdict);
  }

  private static ContainerStatus trainer(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    return statuses.stream()
        .filter(s -> TrainerJobNames.CONTAINER.equals(s.getName()))
        .findFirst()
        .orElse(statuses.isEmpty() ? null : statuses.get(0));
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    ContainerStatus status = trainer(pod);
    return status == null || status.getState() == null ? null : status.getState().getTerminated();
  }

  private static ContainerStateWaiting waiting(Pod pod) {
    ContainerStatus status = trainer(pod);
    return status == null || status.getState() == null ? null : status.getState().getWaiting();
  }

  private static PodCondition podCondition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static JobCondition condition(Job job, String type, String reason) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .filter(c -> reason == null || reason.equals(c.getReason()))
        .findFirst()
        .orElse(null);
  }

  private static String name(Pod pod) {
    return pod == null ? null : pod.getMetadata().getName();
  }

  private static Instant parse(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
