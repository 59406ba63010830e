package dev.trainyard.activities.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the Job controller, the scheduler and the kubelet against the CRUD mock server: creates the
 * Job's pod (with the controller's job-name label) and moves it through its phases.
 */
final class PodPhaseDriver {
  private final KubernetesClient client;
  private final String namespace;

  PodPhaseDriver(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** What the Job controller does once the Job is resumed: a pod from its template. */
  Pod createPod(String jobName) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    Map<String, String> labels =
        new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", jobName);
    labels.put("batch.kubernetes.io/job-name", jobName);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(jobName + "-x7k2p")
            .withNamespace(namespace)
            .withLabels(labels)
            .withCreationTimestamp(Instant.now().toString())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    return client.pods().inNamespace(namespace).resource(pod).create();
  }

  void scheduled(Pod pod, String waitingReason) {
    setStatus(
        pod,
        "Pending",
        List.of(condition("PodScheduled", "True", null, null)),
        waitingReason == null ? List.of() : List.of(waiting(waitingReason, null)));
  }

  void running(Pod pod) {
    setStatus(
        pod,
        "Running",
        List.of(condition("PodScheduled", "True", null, null)),
        List.of(
            new ContainerStatusBuilder()
                .withName("trainer")
                .withNewState()
                .withNewRunning()
                .withStartedAt(Instant.now().toString())
                .endRunning()
                .endState()
                .build()));
  }

  void waitingFor(Pod pod, String reason, String message) {
    setStatus(
        pod,
        "Pending",
        List.of(condition("PodScheduled", "True", null, null)),
        List.of(waiting(reason, message)));
  }

  void unschedulable(Pod pod, String message) {
    setStatus(
        pod,
        "Pending",
        List.of(condition("PodScheduled", "False", "Unschedulable", message)),
        List.of());
  }

  void terminated(Pod pod, int exitCode, String reason, String message) {
    setStatus(
        pod,
        exitCode == 0 ? "Succeeded" : "Failed",
        List.of(condition("PodScheduled", "True", null, null)),
        List.of(
            new ContainerStatusBuilder()
                .withName("trainer")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .withFinishedAt(Instant.now().toString())
                .endTerminated()
                .endState()
                .build()));
  }

  /**
   * What Kubernetes (1.26+) does to a pod it is about to disrupt: the condition DisruptionTarget
   * with {@code reason}; the pod stays Running (Ready as given) until its trainer ends.
   */
  void disruptionTarget(Pod pod, String reason, String message, boolean ready) {
    setStatus(
        pod,
        "Running",
        List.of(
            condition("PodScheduled", "True", null, null),
            condition("Ready", ready ? "True" : "False", ready ? null : "NodeNotReady", null),
            condition("DisruptionTarget", "True", reason, message)),
        List.of(runningContainer()));
  }

  /** The trainer of a disrupted pod ended (SIGTERM, then SIGKILL): the pod failed. */
  void disruptedAndEnded(Pod pod, String reason, String message, int exitCode) {
    setStatus(
        pod,
        "Failed",
        List.of(
            condition("PodScheduled", "True", null, null),
            condition("DisruptionTarget", "True", reason, message)),
        List.of(terminatedContainer(exitCode, "Error", null)));
  }

  /** The kubelet's or the node controller's own verdict on the pod (Evicted, NodeLost). */
  void podReason(Pod pod, String phase, String reason, String message, boolean containerEnded) {
    Pod current = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    Pod updated =
        new PodBuilder(current)
            .withNewStatus()
            .withPhase(phase)
            .withReason(reason)
            .withMessage(message)
            .withConditions(condition("PodScheduled", "True", null, null))
            .withContainerStatuses(
                containerEnded ? terminatedContainer(137, "Error", null) : runningContainer())
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(updated).updateStatus();
  }

  /** The pod is removed (the pod garbage collector, a forced delete). */
  void podGone(Pod pod) {
    client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
  }

  /** The Job controller's verdict once its one pod failed or went away (backoffLimit 0). */
  void jobFailed(String jobName) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    Job failed =
        new JobBuilder(job)
            .withNewStatus()
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .build())
            .endStatus()
            .build();
    client.batch().v1().jobs().inNamespace(namespace).resource(failed).updateStatus();
  }

  private static ContainerStatus runningContainer() {
    return new ContainerStatusBuilder()
        .withName("trainer")
        .withNewState()
        .withNewRunning()
        .withStartedAt(Instant.now().toString())
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus terminatedContainer(int exitCode, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName("trainer")
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .withFinishedAt(Instant.now().toString())
        .endTerminated()
        .endState()
        .build();
  }

  /** The Job controller's verdict when activeDeadlineSeconds passes. */
  void jobDeadlineExceeded(String jobName) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    Job failed =
        new JobBuilder(job)
            .withNewStatus()
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("DeadlineExceeded")
                    .withMessage("Job was active longer than specified deadline")
                    .build())
            .endStatus()
            .build();
    client.batch().v1().jobs().inNamespace(namespace).resource(failed).updateStatus();
  }

  private void setStatus(
      Pod pod, String phase, List<PodCondition> conditions, List<ContainerStatus> containers) {
    Pod current = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    Pod updated =
        new PodBuilder(current)
            .withNewStatus()
            .withPhase(phase)
            .withConditions(conditions)
            .withContainerStatuses(containers)
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(updated).updateStatus();
  }

  private static ContainerStatus waiting(String reason, String message) {
    return new ContainerStatusBuilder()
        .withName("trainer")
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }
}
