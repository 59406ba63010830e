package dev.trainyard.activities.kubernetes;

import dev.trainyard.activities.LaunchValidation;
import dev.trainyard.activities.TrainerEnvironment;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig.TrainerResources;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one attempt's trainer: a Job that runs one pod once (retries are the
 * workflow's decision, each a new attempt with a Job of its own) and a Secret, owned by the Job,
 * holding what must not appear in the pod spec.
 */
final class TrainerJobFactory {
  /**
   * The Job outlives the workflow's own max-runtime deadline by this much: it is only a backstop.
   */
  static final long DEADLINE_MARGIN_SECONDS = 300;

  private final KubernetesLauncherConfig config;

  TrainerJobFactory(KubernetesLauncherConfig config) {
    this.config = config;
  }

  /**
   * The Job, created suspended: its pods would otherwise start before the Secret they read exists.
   * The launcher resumes it once the Secret is in place.
   */
  Job job(LaunchRequest request, String image) {
    JobSpec spec = request.spec();
    String name = TrainerJobNames.jobName(spec.jobId(), LaunchValidation.attempt(request));
    Map<String, String> labels = labels(request);
    Map<String, String> annotations = Map.of(TrainerJobNames.TRACE_ID_ANNOTATION, spec.traceId());
    var timeouts = spec.submitted().timeouts();
    long deadline =
        timeouts.startupTimeoutSeconds()
            + timeouts.maxRuntimeSeconds()
            + timeouts.cancelGraceSeconds()
            + DEADLINE_MARGIN_SECONDS;
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(config.namespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withSuspend(true)
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadline)
        .withTtlSecondsAfterFinished(
            (int) Math.min(Integer.MAX_VALUE, config.ttlSecondsAfterFinished()))
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(podSpec(request, image, name))
        .endTemplate()
        .endSpec()
        .build();
  }

  private io.fabric8.kubernetes.api.model.PodSpec podSpec(
      LaunchRequest request, String image, String name) {
    JobSpec spec = request.spec();
    List<EnvFromSource> envFrom = new ArrayList<>();
    envFrom.add(
        new EnvFromSourceBuilder()
            .withNewSecretRef()
            .withName(TrainerJobNames.secretName(name))
            .endSecretRef()
            .build());
    config
        .envFromSecrets()
        .forEach(
            secret ->
                envFrom.add(
                    new EnvFromSourceBuilder()
                        .withNewSecretRef()
                        .withName(secret)
                        .endSecretRef()
                        .build()));
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(TrainerJobNames.CONTAINER)
            .withImage(image)
            .withImagePullPolicy(config.imagePullPolicy())
            .withEnv(environment(request))
            .withEnvFrom(envFrom)
            .withResources(resources(config.resources()))
            // A crash without a termination message still tells why: the log's last lines.
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext();
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withRestartPolicy("Never")
            .withServiceAccountName(config.serviceAccount())
            // The trainer talks to the callback API, never to the Kubernetes API.
            .withAutomountServiceAccountToken(false)
            .withTerminationGracePeriodSeconds(
                Math.max(1, spec.submitted().timeouts().cancelGraceSeconds()))
            .withNodeSelector(config.nodeSelector().isEmpty() ? null : config.nodeSelector())
            .withTolerations(tolerations())
            .withImagePullSecrets(
                config.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(config.runAsUser())
            .withRunAsGroup(config.runAsUser())
            .withFsGroup(config.runAsUser())
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext();
    if (config.shmSize() != null) {
      // PyTorch data loaders share tensors through /dev/shm; the container default is 64 MiB.
      pod.addNewVolume()
          .withName("dshm")
          .withNewEmptyDir()
          .withMedium("Memory")
          .withSizeLimit(new Quantity(config.shmSize()))
          .endEmptyDir()
          .endVolume();
      container.addNewVolumeMount().withName("dshm").withMountPath("/dev/shm").endVolumeMount();
    }
    return pod.withContainers(container.build()).build();
  }

  /** The per-job Secret: the callback token and the storage credentials, deleted with its Job. */
  Secret secret(LaunchRequest request, Job owner, String callbackToken) {
    Map<String, String> data = new LinkedHashMap<>(config.secretEnvironment());
    data.put(TrainerEnvironment.CALLBACK_TOKEN, callbackToken);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(TrainerJobNames.secretName(owner.getMetadata().getName()))
        .withNamespace(config.namespace())
        .withLabels(labels(request))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withStringData(data)
        .build();
  }

  private List<EnvVar> environment(LaunchRequest request) {
    Map<String, String> env = new LinkedHashMap<>(config.extraEnvironment());
    // The job's own variables win over configured extras; secrets come from the Secret only.
    env.putAll(TrainerEnvironment.jobVariables(request, config.backendBaseUrl()));
    config.secretEnvironment().keySet().forEach(env::remove);
    env.remove(TrainerEnvironment.CALLBACK_TOKEN);
    return env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      TrainerResources r) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    if (r.cpuRequest() != null) {
      builder.addToRequests("cpu", new Quantity(r.cpuRequest()));
    }
    if (r.memoryRequest() != null) {
      builder.addToRequests("memory", new Quantity(r.memoryRequest()));
    }
    if (r.cpuLimit() != null) {
      builder.addToLimits("cpu", new Quantity(r.cpuLimit()));
    }
    if (r.memoryLimit() != null) {
      builder.addToLimits("memory", new Quantity(r.memoryLimit()));
    }
    if (r.gpus() != null && r.gpus() > 0) {
      // Extended resources: the request must equal the limit, so set both.
      builder.addToRequests("nvidia.com/gpu", new Quantity(r.gpus().toString()));
      builder.addToLimits("nvidia.com/gpu", new Quantity(r.gpus().toString()));
    }
    return builder.build();
  }

  private List<Toleration> tolerations() {
    return config.tolerations().stream()
        .map(t -> new Toleration(t.effect(), t.key(), t.operator(), null, t.value()))
        .toList();
  }

  private static Map<String, String> labels(LaunchRequest request) {
    JobSpec spec = request.spec();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(TrainerJobNames.MANAGED_BY_LABEL, "trainyard");
    labels.put(TrainerJobNames.COMPONENT_LABEL, "trainer");
    labels.put(TrainerJobNames.JOB_ID_LABEL, Long.toString(spec.jobId()));
    labels.put(TrainerJobNames.ATTEMPT_LABEL, Integer.toString(LaunchValidation.attempt(request)));
    if (TrainerJobNames.fitsLabel(spec.traceId())) {
      labels.put(TrainerJobNames.TRACE_ID_LABEL, spec.traceId());
    }
    // The log agent turns these into Loki labels (deploy/observability/alloy/config.alloy).
    if (TrainerJobNames.fitsLabel(spec.submitted().projectId())) {
      labels.put(TrainerJobNames.PROJECT_LABEL, spec.submitted().projectId());
    }
    return labels;
  }
}
