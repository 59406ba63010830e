package dev.trainyard.activities.kubernetes;

import dev.trainyard.activities.ActivityHeartbeats;
import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.LaunchValidation;
import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trainers as Kubernetes Jobs (the production runtime). The launcher keeps nothing in memory
 * that matters: every call finds the Job by its deterministic name, so a retried launch adopts the
 * Job an earlier attempt created and a new worker re-attaches to a Job that outlived the old one.
 */
public final class KubernetesTrainerLauncher implements TrainerLauncher {
  public static final String RUNTIME = TrainerJobNames.RUNTIME;
  private static final Logger log = LoggerFactory.getLogger(KubernetesTrainerLauncher.class);

  private final KubernetesClient client;
  private final KubernetesLauncherConfig config;
  private final CallbackTokenIssuer tokens;
  private final TrainerJobFactory factory;
  private final TrainerLogArchiver archiver;

  public KubernetesTrainerLauncher(
      KubernetesClient client, KubernetesLauncherConfig config, CallbackTokenIssuer tokens) {
    this(client, config, tokens, TrainerLogArchiver.off());
  }

  /**
   * Pod logs copied to the object store by {@code archiver} while they run, at their end and before
   * a stop deletes the pod: the Job's TTL removes the pod, and with it the only other copy.
   */
  public KubernetesTrainerLauncher(
      KubernetesClient client,
      KubernetesLauncherConfig config,
      CallbackTokenIssuer tokens,
      TrainerLogArchiver archiver) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.factory = new TrainerJobFactory(config);
    this.archiver = Objects.requireNonNull(archiver, "archiver");
  }

  @Override
  public TrainerHandle launch(LaunchRequest request) {
    JobSpec spec = LaunchValidation.validated(request);
    try (TraceMdc ignored = TraceMdc.of(spec.jobId(), spec.traceId())) {
      String image = config.imageFor(spec.submitted().framework());
      if (image == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "no trainer image for framework '"
                + spec.submitted().framework()
                + "': configure one in launcher.kubernetes.images",
            FailureTypes.LAUNCH_REJECTED);
      }
      Job job = createOrAdopt(request, image);
      ensureSecret(request, job);
      resume(job);
      return TrainerJobNames.handle(config.namespace(), job.getMetadata().getName());
    } catch (KubernetesClientException e) {
      throw launchFailure(e);
    }
  }

  private Job createOrAdopt(LaunchRequest request, String image) {
    JobSpec spec = request.spec();
    Job wanted = factory.job(request, image);
    String name = wanted.getMetadata().getName();
    try {
      Job created = jobs().resource(wanted).create();
      log.info(
          "job {}: created Kubernetes Job {}/{} (attempt {}, image {})",
          spec.jobId(),
          config.namespace(),
          name,
          LaunchValidation.attempt(request),
          image);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    // An earlier try of this attempt's launch (maybe on another worker) created it: adopt, never
    // start a second trainer. Each attempt of the job has its own Job name.
    Job existing = jobs().withName(name).get();
    if (existing == null) {
      throw new IllegalStateException("Job " + name + " conflicted on create but is gone; retry");
    }
    log.info(
        "job {}: adopting existing Kubernetes Job {}/{}", spec.jobId(), config.namespace(), name);
    return existing;
  }

  /** The Secret is created after its owner, so the owner reference can name the Job's uid. */
  private void ensureSecret(LaunchRequest request, Job job) {
    JobSpec spec = request.spec();
    String name = TrainerJobNames.secretName(job.getMetadata().getName());
    if (client.secrets().inNamespace(config.namespace()).withName(name).get() != null) {
      return;
    }
    String token =
        tokens.mint(
            spec.jobId(),
            LaunchValidation.attempt(request),
            Duration.ofSeconds(spec.submitted().timeouts().tokenLifetimeSeconds()));
    try {
      client
          .secrets()
          .inNamespace(config.namespace())
          .resource(factory.secret(request, job, token))
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private void resume(Job job) {
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      jobs()
          .withName(job.getMetadata().getName())
          .edit(j -> new JobBuilder(j).editSpec().withSuspend(false).endSpec().build());
    }
  }

  @Override
  public TrainerExit awaitExit(TrainerHandle handle) {
    String[] ref = TrainerJobNames.parse(handle);
    String namespace = ref[0];
    String name = ref[1];
    ActivityHeartbeats heartbeats = ActivityHeartbeats.current();
    TrainerPodInspector inspector =
        new TrainerPodInspector(config.unschedulableLimit(), config.imagePullLimit());
    String lastPhase = null;
    long jobId = TrainerJobNames.jobIdOf(name);
    int attempt = Math.max(1, TrainerJobNames.attemptOf(name));
    try (TraceMdc trace = TraceMdc.untilKnown()) {
      while (true) {
        TrainerPodInspector.Observation seen;
        try {
          Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
          if (job == null) {
            log.warn("Kubernetes Job {}/{} is gone", namespace, name);
            return new TrainerExit(
                null, "job_deleted", "the Kubernetes Job was deleted", System.currentTimeMillis());
          }
          trace.set(jobId, traceIdOf(job));
          List<Pod> pods = pods(namespace, name);
          seen = inspector.inspect(job, pods, Instant.now());
          startedPod(pods)
              .ifPresent(
                  pod ->
                      archiver.whileRunning(jobId, attempt, PodLogs.whole(client, namespace, pod)));
        } catch (KubernetesClientException e) {
          // The API server may be restarting: keep watching; the heartbeat keeps this activity
          // alive.
          log.warn("cannot read Kubernetes Job {}/{}: {}", namespace, name, e.getMessage());
          seen = new TrainerPodInspector.Observation("unknown (API error)", null);
        }
        if (seen.verdict() != null) {
          return ended(namespace, name, jobId, seen.verdict());
        }
        if (!seen.phase().equals(lastPhase)) {
          log.info("Kubernetes Job {}/{}: trainer pod {}", namespace, name, seen.phase());
          lastPhase = seen.phase();
        }
        // Throws when the activity is cancelled or the worker shuts down: stop watching, delete
        // nothing.
        heartbeats.beat("pod " + seen.phase());
        Thread.sleep(config.pollInterval().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
  }

  private TrainerExit ended(
      String namespace, String name, long jobId, TrainerPodInspector.Verdict verdict) {
    int attempt = Math.max(1, TrainerJobNames.attemptOf(name));
    if (verdict.ran()) {
      archiver.atEnd(jobId, attempt, PodLogs.whole(client, namespace, verdict.podName()));
    }
    String logTail =
        verdict.ran()
            ? PodLogs.exitReport(
                verdict.message(), PodLogs.tail(client, namespace, verdict.podName()))
            : PodLogs.exitReport(verdict.message(), "");
    log.info(
        "Kubernetes Job {}/{}: trainer ended ({}, exit code {})",
        namespace,
        name,
        verdict.cause(),
        verdict.exitCode());
    if (verdict.podStillAlive()) {
      // The pod would wait forever for an image or a node: the trainer is over, remove it.
      deleteAll(namespace, name, 0);
    } else {
      // The token is useless now; the Job and its pod stay for `kubectl logs` until the TTL.
      deleteSecret(namespace, name);
    }
    return new TrainerExit(
        verdict.exitCode(), verdict.cause(), logTail, System.currentTimeMillis());
  }

  @Override
  public void stop(StopRequest request) {
    String[] ref = TrainerJobNames.parse(Objects.requireNonNull(request, "request").handle());
    String namespace = ref[0];
    String name = ref[1];
    long grace = Math.max(0, request.graceSeconds());
    long jobId = TrainerJobNames.jobIdOf(name);
    int attempt = Math.max(1, TrainerJobNames.attemptOf(name));
    try (TraceMdc ignored = TraceMdc.of(jobId, null)) {
      ActivityHeartbeats heartbeats = ActivityHeartbeats.current();
      // Deleting the pod deletes its log: copy it first, and again as it stops.
      archiveNow(namespace, name, jobId);
      deleteAll(namespace, name, grace);
      // Pods get SIGTERM now and SIGKILL after the grace; wait for them, then insist.
      long until = System.nanoTime() + Duration.ofSeconds(grace + 10).toNanos();
      try {
        List<Pod> stopping;
        while (!(stopping = pods(namespace, name)).isEmpty()) {
          startedPod(stopping)
              .ifPresent(
                  pod ->
                      archiver.whileRunning(jobId, attempt, PodLogs.whole(client, namespace, pod)));
          if (System.nanoTime() > until) {
            archiveNow(namespace, name, jobId);
            log.warn(
                "Kubernetes Job {}/{}: pods outlived the grace; deleting them by force",
                namespace,
                name);
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(TrainerJobNames.JOB_NAME_LABEL, name)
                .withGracePeriod(0)
                .delete();
            return;
          }
          heartbeats.beat("waiting for the pods of " + name + " to stop");
          Thread.sleep(config.pollInterval().toMillis());
        }
        log.info("Kubernetes Job {}/{} stopped and deleted", namespace, name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      }
    }
  }

  private void archiveNow(String namespace, String name, long jobId) {
    int attempt = Math.max(1, TrainerJobNames.attemptOf(name));
    if (archiver.enabled()) {
      startedPod(pods(namespace, name))
          .ifPresent(pod -> archiver.now(jobId, attempt, PodLogs.whole(client, namespace, pod)));
    }
  }

  /** The newest of the Job's pods whose trainer has started (only those have a log). */
  private static Optional<String> startedPod(List<Pod> pods) {
    return pods.stream()
        .filter(
            pod ->
                pod.getStatus() != null
                    && Set.of("Running", "Succeeded", "Failed")
                        .contains(pod.getStatus().getPhase()))
        .max(Comparator.comparing(pod -> String.valueOf(pod.getMetadata().getCreationTimestamp())))
        .map(pod -> pod.getMetadata().getName());
  }

  /** The Job (its pods go with it), the pods explicitly with the stop's grace, and the Secret. */
  private void deleteAll(String namespace, String name, long graceSeconds) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    client
        .pods()
        .inNamespace(namespace)
        .withLabel(TrainerJobNames.JOB_NAME_LABEL, name)
        .withGracePeriod(graceSeconds)
        .delete();
    deleteSecret(namespace, name);
  }

  private void deleteSecret(String namespace, String name) {
    try {
      client.secrets().inNamespace(namespace).withName(TrainerJobNames.secretName(name)).delete();
    } catch (KubernetesClientException e) {
      // The owner reference removes it with the Job anyway.
      log.warn("cannot delete Secret {}/{}: {}", namespace, name, e.getMessage());
    }
  }

  private List<Pod> pods(String namespace, String jobName) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(TrainerJobNames.JOB_NAME_LABEL, jobName)
        .list()
        .getItems();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          Job,
          io.fabric8.kubernetes.api.model.batch.v1.JobList,
          io.fabric8.kubernetes.client.dsl.ScalableResource<Job>>
      jobs() {
    return client.batch().v1().jobs().inNamespace(config.namespace());
  }

  /** The trace id the launcher wrote on the Job; null when the Job carries none. */
  private static String traceIdOf(Job job) {
    var annotations = job.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TrainerJobNames.TRACE_ID_ANNOTATION);
  }

  /**
   * A spec the cluster refuses will be refused again; anything else (network, 5xx, 403) may heal.
   */
  private static RuntimeException launchFailure(KubernetesClientException e) {
    int code = e.getCode();
    if (code == 400 || code == 422 || code == HttpURLConnection.HTTP_NOT_FOUND) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          "Kubernetes rejected the trainer Job (HTTP " + code + "): " + e.getMessage(),
          FailureTypes.LAUNCH_REJECTED,
          e);
    }
    return ApplicationFailure.newFailureWithCause(
        "cannot create the trainer Job (HTTP " + code + "): " + e.getMessage(),
        "KubernetesUnavailable",
        e);
  }
}
