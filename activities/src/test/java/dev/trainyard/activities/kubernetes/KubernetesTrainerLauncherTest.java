package dev.trainyard.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.trainyard.activities.CallbackTokenIssuer;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig.TrainerResources;
import dev.trainyard.activities.kubernetes.KubernetesLauncherConfig.TrainerToleration;
import dev.trainyard.activities.logs.ArchiveServer;
import dev.trainyard.activities.logs.TrainerLogArchiver;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.logging.TraceMdc;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesTrainerLauncherTest {
  static final String NS = "training";
  static final byte[] SECRET =
      "kubernetes-launcher-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  static KubernetesClient client;
  static KubernetesMockServer server;

  final KubernetesLauncherConfig config =
      new KubernetesLauncherConfig(
          NS,
          Map.of("ultralytics", "registry.example/trainyard/ultralytics:1.0"),
          null,
          null,
          List.of("registry-credentials"),
          "trainyard-trainer",
          new TrainerResources("4", "8", "16Gi", "32Gi", 1),
          Map.of("cloud.google.com/gke-accelerator", "nvidia-l4"),
          List.of(new TrainerToleration("nvidia.com/gpu", "Exists", null, "NoSchedule")),
          1000L,
          "2Gi",
          600L,
          Duration.ofSeconds(1),
          Duration.ZERO,
          Duration.ofMillis(50),
          "http://trainyard-api.trainyard.svc:8080/",
          Map.of("MLFLOW_TRACKING_URI", "http://mlflow:5000", "JOB_ID", "must-not-win"),
          Map.of("MINIO_ACCESS_KEY", "minio-user", "MINIO_SECRET_KEY", "minio-password"),
          List.of());

  TestActivityEnvironment env;
  TrainerLauncher launcher;
  PodPhaseDriver driver;

  @BeforeEach
  void setUp() {
    env = newEnvironment();
    launcher = env.newActivityStub(TrainerLauncher.class, OPTIONS);
    driver = new PodPhaseDriver(client, NS);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  TestActivityEnvironment newEnvironment() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new KubernetesTrainerLauncher(client, config, new CallbackTokenIssuer(SECRET)));
    return environment;
  }

  static JobSpec spec(long jobId) {
    return new JobSpec(
        jobId,
        "5f0c2a8e-1111-4222-8333-944445555666",
        new SubmittedSpec(
            "ultralytics",
            "yolov8n.pt",
            "coco128",
            3,
            16,
            0.0001,
            "proj-1",
            Map.of("imgsz", 640),
            new JobTimeouts(600, 900, 3600, 45),
            null,
            null));
  }

  TrainerHandle launch(long jobId) {
    return launcher.launch(new LaunchRequest(spec(jobId)));
  }

  CompletableFuture<TrainerExit> awaitExitAsync(TrainerLauncher stub, TrainerHandle handle) {
    return CompletableFuture.supplyAsync(() -> stub.awaitExit(handle));
  }

  Job job(long jobId) {
    return client.batch().v1().jobs().inNamespace(NS).withName("trainyard-job-" + jobId).get();
  }

  Secret secret(long jobId) {
    return client.secrets().inNamespace(NS).withName("trainyard-job-" + jobId).get();
  }

  List<Pod> pods(long jobId) {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("job-name", "trainyard-job-" + jobId)
        .list()
        .getItems();
  }

  @Test
  void launchCreatesARunOnceJobWithTheSeedEnvironmentAndAnOwnedSecret() {
    TrainerHandle handle = launch(1);

    assertThat(handle.runtime()).isEqualTo("kubernetes");
    assertThat(handle.ref()).isEqualTo("training/trainyard-job-1");
    assertThat(handle.logLocation()).isEqualTo("kubernetes://training/jobs/trainyard-job-1");
    Job job = job(1);
    assertThat(job.getSpec().getSuspend()).isFalse();
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(900 + 3600 + 45 + 300);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getMetadata().getLabels())
        .containsEntry("trainyard.dev/job-id", "1")
        .containsEntry("trainyard.dev/trace-id", spec(1).traceId());
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry("trainyard.dev/trace-id", spec(1).traceId());

    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("trainyard-trainer");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000);
    assertThat(pod.getNodeSelector())
        .containsEntry("cloud.google.com/gke-accelerator", "nvidia-l4");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    assertThat(pod.getImagePullSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("registry-credentials"));
    Container trainer = pod.getContainers().get(0);
    assertThat(trainer.getImage()).isEqualTo("registry.example/trainyard/ultralytics:1.0");
    assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(trainer.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(trainer.getResources().getRequests())
        .containsEntry("nvidia.com/gpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("16Gi"));
    Map<String, String> env =
        trainer.getEnv().stream()
            .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("JOB_ID", "1")
        .containsEntry("TRACE_ID", spec(1).traceId())
        .containsEntry("BACKEND_BASE_URL", "http://trainyard-api.trainyard.svc:8080")
        .containsEntry("LEARNING_RATE", "0.0001")
        .containsEntry("HYPERPARAMETERS", "{\"imgsz\":640}")
        .containsEntry("MLFLOW_TRACKING_URI", "http://mlflow:5000")
        .containsKeys("DATASET_ID", "MODEL_NAME", "EPOCHS", "BATCH_SIZE", "PROJECT_ID", "FRAMEWORK")
        .doesNotContainKeys("CALLBACK_TOKEN", "MINIO_SECRET_KEY", "MINIO_ACCESS_KEY");
    assertThat(trainer.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("trainyard-job-1"));

    Secret secret = secret(1);
    assertThat(secret.getStringData())
        .containsEntry("MINIO_ACCESS_KEY", "minio-user")
        .containsEntry("MINIO_SECRET_KEY", "minio-password")
        .hasEntrySatisfying("CALLBACK_TOKEN", token -> assertThat(token.split("\\.")).hasSize(3));
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("Job");
              assertThat(owner.getName()).isEqualTo("trainyard-job-1");
              assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid()).isNotBlank();
            });
  }

  @Test
  void aSuccessfulTrainerExitsWithCodeZeroAndItsTokenIsRemoved() throws Exception {
    TrainerHandle handle = launch(2);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-2");
    driver.scheduled(pod, "ContainerCreating");
    driver.running(pod);
    Thread.sleep(200);
    assertThat(exit).isNotDone();

    driver.terminated(pod, 0, "Completed", null);

    TrainerExit result = exit.get(10, TimeUnit.SECONDS);
    assertThat(result.exitCode()).isZero();
    assertThat(result.cause()).isEqualTo("exited");
    assertThat(secret(2)).isNull();
    assertThat(job(2)).as("left for kubectl logs until ttlSecondsAfterFinished").isNotNull();
  }

  @Test
  void anImagePullFailureEndsTheTrainerAndRemovesItsPod() throws Exception {
    TrainerHandle handle = launch(3);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-3");

    driver.waitingFor(
        pod,
        "ImagePullBackOff",
        "Back-off pulling image \"registry.example/trainyard/ultralytics:1.0\"");

    TrainerExit result = exit.get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("image_pull_failed");
    assertThat(result.exitCode()).isNull();
    assertThat(result.logTail())
        .contains("ImagePullBackOff", "registry.example/trainyard/ultralytics:1.0");
    assertThat(job(3)).isNull();
    assertThat(pods(3)).isEmpty();
    assertThat(secret(3)).isNull();
  }

  @Test
  void anOutOfMemoryKillIsReportedAsSuch() throws Exception {
    TrainerHandle handle = launch(4);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-4");
    driver.running(pod);

    driver.terminated(pod, 137, "OOMKilled", null);

    TrainerExit result = exit.get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("oom_killed");
    assertThat(result.exitCode()).isEqualTo(137);
  }

  @Test
  void aCrashReportsTheTerminationMessageAndTheLastLogLinesWithTokensMasked() throws Exception {
    TrainerHandle handle = launch(5);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-5");
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/training/pods/"
                + pod.getMetadata().getName()
                + "/log?pretty=false&container=trainer&tailLines=30")
        .andReturn(
            200,
            "epoch 1/3 loss=0.9\nCALLBACK_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJqb2JfaWQiOjV9.c2lnbmF0dXJl\n"
                + "Traceback (most recent call last):\nValueError: dataset coco128 has no labels\n")
        .always();
    driver.running(pod);

    driver.terminated(pod, 1, "Error", "no labelled images in coco128");

    TrainerExit result = exit.get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("exited");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.logTail())
        .startsWith("termination message: no labelled images in coco128\n")
        .contains(
            "epoch 1/3 loss=0.9", "ValueError: dataset coco128 has no labels", "[redacted token]")
        .doesNotContain("eyJhbGciOiJIUzI1NiJ9");
  }

  @Test
  void aPodUnschedulableBeyondTheLimitEndsTheTrainer() throws Exception {
    TrainerHandle handle = launch(6);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-6");

    driver.unschedulable(pod, "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    Thread.sleep(500);
    assertThat(exit).as("still within the 1 s limit").isNotDone();

    TrainerExit result = exit.get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("unschedulable");
    assertThat(result.logTail()).contains("Insufficient nvidia.com/gpu");
    assertThat(job(6)).isNull();
    assertThat(pods(6)).isEmpty();
  }

  @Test
  void theJobsDeadlineIsReportedAsDeadlineExceeded() throws Exception {
    TrainerHandle handle = launch(7);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-7");
    driver.running(pod);

    driver.jobDeadlineExceeded("trainyard-job-7");

    assertThat(exit.get(10, TimeUnit.SECONDS).cause()).isEqualTo("deadline_exceeded");
  }

  @Test
  void stopDeletesTheJobItsPodsAndItsSecret() {
    TrainerHandle handle = launch(8);
    driver.running(driver.createPod("trainyard-job-8"));
    assertThat(secret(8)).isNotNull();

    launcher.stop(new StopRequest(handle, 5));

    assertThat(job(8)).isNull();
    assertThat(pods(8)).isEmpty();
    assertThat(secret(8)).isNull();
    launcher.stop(new StopRequest(handle, 5)); // a gone trainer is fine
  }

  /**
   * The log agent's pipeline (deploy/observability/alloy/config.alloy) turns the trainer pods'
   * labels into the Loki labels the docs query: each label it reads is on the pods this launcher
   * makes, with the job's values, and the JSON fields it reads are the ones Trainyard writes.
   */
  @Test
  void theLogAgentsPipelineReadsTheLabelsTheTrainerPodsCarry() throws Exception {
    String alloy =
        Files.readString(Path.of("..", "deploy", "observability", "alloy", "config.alloy"));
    int start = alloy.indexOf("discovery.relabel \"trainers\" {");
    assertThat(start).as("the trainer pods' relabelling").isNotNegative();
    String trainerRules = alloy.substring(start, alloy.indexOf("\n}\n", start));
    Map<String, String> lokiLabelByPodLabel = new HashMap<>();
    Matcher rule =
        Pattern.compile(
                "source_labels = \\[\"__meta_kubernetes_pod_label_(\\w+)\"\\]\\s+"
                    + "target_label\\s+= \"(\\w+)\"")
            .matcher(trainerRules);
    while (rule.find()) {
      lokiLabelByPodLabel.put(rule.group(1), rule.group(2));
    }
    launch(20);
    Map<String, String> podLabels = job(20).getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> lokiLabels = new HashMap<>();
    podLabels.forEach(
        (name, value) -> {
          // what Kubernetes discovery makes of a label's name
          String lokiLabel = lokiLabelByPodLabel.get(name.replaceAll("[^A-Za-z0-9_]", "_"));
          if (lokiLabel != null) {
            lokiLabels.put(lokiLabel, value);
          }
        });
    assertThat(lokiLabels)
        .containsEntry("trainyard_job_id", "20")
        .containsEntry("trainyard_trace_id", spec(20).traceId())
        .containsEntry("trainyard_project", "proj-1")
        .containsEntry("trainyard_component", "trainer");
    assertThat(lokiLabelByPodLabel.keySet())
        .as("every pod label the pipeline reads is one the launcher sets")
        .allMatch(
            label ->
                podLabels.keySet().stream()
                    .anyMatch(name -> name.replaceAll("[^A-Za-z0-9_]", "_").equals(label)));
    String selector = "label = \"app.kubernetes.io/managed-by=trainyard\"";
    assertThat(alloy).contains(selector);
    assertThat(podLabels).containsEntry("app.kubernetes.io/managed-by", "trainyard");
    assertThat(alloy)
        .contains(TraceMdc.JOB_ID_KEY + "   = \"" + TraceMdc.JOB_ID_KEY + "\"")
        .contains(TraceMdc.KEY + " = \"" + TraceMdc.KEY + "\"");
  }

  /** A launcher that archives pod logs every 100 ms, on its own activity environment. */
  record Archiving(TestActivityEnvironment env, TrainerLauncher stub, TrainerLogArchiver archiver)
      implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      env.close();
      archiver.close();
    }
  }

  Archiving archiving() {
    TrainerLogArchiver archiver =
        new TrainerLogArchiver(ArchiveServer.get().archive, Duration.ofMillis(100), 1);
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new KubernetesTrainerLauncher(client, config, new CallbackTokenIssuer(SECRET), archiver));
    return new Archiving(
        environment, environment.newActivityStub(TrainerLauncher.class, OPTIONS), archiver);
  }

  /** The pod's whole log (what the archiver reads) answers whatever {@code log} holds then. */
  void podLog(Pod pod, AtomicReference<String> log) {
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/training/pods/"
                + pod.getMetadata().getName()
                + "/log?pretty=false&container=trainer")
        .andReply(200, request -> log.get())
        .always();
  }

  @Test
  void aPodLogIsArchivedWhileItRunsAndAtItsEndAndOutlivesThePod() throws Exception {
    ArchiveServer s3 = ArchiveServer.get();
    try (Archiving archiving = archiving()) {
      TrainerHandle handle = archiving.stub().launch(new LaunchRequest(spec(101)));
      CompletableFuture<TrainerExit> exit = awaitExitAsync(archiving.stub(), handle);
      Pod pod = driver.createPod("trainyard-job-101");
      AtomicReference<String> log = new AtomicReference<>("epoch 1/3 loss=0.9\n");
      podLog(pod, log);
      driver.running(pod);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.read(101).orElse("").contains("epoch 1/3"));
      assertThat(exit).as("archived before the end").isNotDone();

      log.set("epoch 1/3 loss=0.9\nepoch 2/3 loss=0.7\nKilled\n");
      driver.terminated(pod, 137, "OOMKilled", null);
      exit.get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.read(101).orElse("").endsWith("Killed\n"));

      // What the Job's ttlSecondsAfterFinished does: the pod, and its log, are gone.
      client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).delete();
      assertThat(pods(101)).isEmpty();
      assertThat(s3.read(101)).contains("epoch 1/3 loss=0.9\nepoch 2/3 loss=0.7\nKilled\n");
    }
  }

  @Test
  void stopArchivesThePodLogBeforeItDeletesThePod() throws Exception {
    ArchiveServer s3 = ArchiveServer.get();
    try (Archiving archiving = archiving()) {
      TrainerHandle handle = archiving.stub().launch(new LaunchRequest(spec(102)));
      Pod pod = driver.createPod("trainyard-job-102");
      driver.running(pod);
      podLog(pod, new AtomicReference<>("still training at epoch 7\n"));

      archiving.stub().stop(new StopRequest(handle, 0));

      assertThat(pods(102)).isEmpty();
      assertThat(s3.read(102)).contains("still training at epoch 7\n");
    }
  }

  @Test
  void cancellingTheWatchStopsWatchingButLeavesTheTrainerRunning() throws Exception {
    TrainerHandle handle = launch(9);
    driver.running(driver.createPod("trainyard-job-9"));
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Thread.sleep(300);

    env.requestCancelActivity();

    await().atMost(Duration.ofSeconds(10)).until(exit::isDone);
    assertThat(exit).isCompletedExceptionally();
    assertThatThrownBy(exit::join).hasRootCauseInstanceOf(CanceledFailure.class);
    assertThat(job(9)).isNotNull();
    assertThat(pods(9)).hasSize(1);
    assertThat(secret(9)).isNotNull();
  }

  @Test
  void aRetriedLaunchAdoptsTheJobInsteadOfCreatingASecond() {
    TrainerHandle first = launch(10);
    String uid = job(10).getMetadata().getUid();
    String token = secret(10).getStringData().get("CALLBACK_TOKEN");

    TrainerHandle second = launch(10);

    assertThat(second).isEqualTo(first);
    assertThat(job(10).getMetadata().getUid()).isEqualTo(uid);
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("trainyard.dev/job-id", "10")
                .list()
                .getItems())
        .hasSize(1);
    assertThat(secret(10).getStringData()).containsEntry("CALLBACK_TOKEN", token);
  }

  @Test
  void aLaunchInterruptedAfterCreatingTheJobIsCompletedByTheRetry() {
    // The first attempt died right after creating the (suspended) Job: no Secret, never resumed.
    Job orphan =
        new TrainerJobFactory(config)
            .job(new LaunchRequest(spec(11)), "registry.example/trainyard/ultralytics:1.0");
    client.batch().v1().jobs().inNamespace(NS).resource(orphan).create();

    launch(11);

    assertThat(job(11).getSpec().getSuspend()).isFalse();
    assertThat(secret(11).getStringData()).containsKey("CALLBACK_TOKEN");
  }

  @Test
  void aNewWorkerReattachesToTheRunningJob() throws Exception {
    TrainerHandle handle = launch(12);
    Pod pod = driver.createPod("trainyard-job-12");
    driver.running(pod);
    CompletableFuture<TrainerExit> firstWatch = awaitExitAsync(launcher, handle);
    Thread.sleep(200);
    env.requestCancelActivity(); // the old worker goes away
    await().atMost(Duration.ofSeconds(10)).until(firstWatch::isDone);

    TestActivityEnvironment restarted = newEnvironment();
    try {
      TrainerLauncher newWorker = restarted.newActivityStub(TrainerLauncher.class, OPTIONS);
      CompletableFuture<TrainerExit> exit = awaitExitAsync(newWorker, handle);
      Thread.sleep(200);
      assertThat(exit).isNotDone();
      driver.terminated(pod, 0, "Completed", null);
      assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isZero();
    } finally {
      restarted.close();
    }
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("trainyard.dev/job-id", "12")
                .list()
                .getItems())
        .hasSize(1);
  }

  // --- how a pod failed (issue #16): each cause is its own TrainerExit cause ---

  /** Launches job {@code id}, starts its pod running, and watches it. */
  record Watched(Pod pod, CompletableFuture<TrainerExit> exit) {}

  Watched runningTrainer(long jobId) throws Exception {
    TrainerHandle handle = launch(jobId);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-" + jobId);
    driver.running(pod);
    Thread.sleep(150);
    assertThat(exit).isNotDone();
    return new Watched(pod, exit);
  }

  @Test
  void aPreemptedPodIsReportedAsPreempted() throws Exception {
    Watched trainer = runningTrainer(201);
    driver.disruptionTarget(
        trainer.pod(), "PreemptionByScheduler", "Preempted by a pod of higher priority", true);
    Thread.sleep(200);
    assertThat(trainer.exit()).as("its trainer is still saving a checkpoint").isNotDone();

    driver.disruptedAndEnded(trainer.pod(), "PreemptionByScheduler", "Preempted", 143);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("preempted");
    assertThat(result.exitCode()).isEqualTo(143);
    assertThat(result.logTail()).contains("PreemptionByScheduler");
  }

  @Test
  void aPreemptedPodRemovedBeforeItWasSeenToEndIsStillPreempted() throws Exception {
    Watched trainer = runningTrainer(202);
    driver.disruptionTarget(trainer.pod(), "PreemptionByScheduler", "Preempted", true);
    Thread.sleep(200);

    driver.podGone(trainer.pod());
    driver.jobFailed("trainyard-job-202");

    assertThat(trainer.exit().get(10, TimeUnit.SECONDS).cause()).isEqualTo("preempted");
  }

  @Test
  void aPodOnAnUnreachableNodeIsNodeLostWithoutWaitingForItsEnd() throws Exception {
    Watched trainer = runningTrainer(203);

    driver.disruptionTarget(
        trainer.pod(), "DeletionByTaintManager", "Taint manager: deleting due to NoExecute", false);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("node_lost");
    assertThat(result.exitCode()).isNull();
    assertThat(result.logTail()).contains("DeletionByTaintManager");
    assertThat(pods(203)).as("the pod of a lost node is removed").isEmpty();
  }

  @Test
  void aPodTheNodeControllerMarkedNodeLostIsNodeLost() throws Exception {
    Watched trainer = runningTrainer(204);

    driver.podReason(
        trainer.pod(),
        "Unknown",
        "NodeLost",
        "Node gpu-7 which was running pod is unresponsive",
        false);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("node_lost");
    assertThat(result.logTail()).contains("gpu-7");
  }

  @Test
  void aPodGoneWhileItsJobFailedIsNodeLost() throws Exception {
    Watched trainer = runningTrainer(205);

    driver.podGone(trainer.pod());
    Thread.sleep(200);
    assertThat(trainer.exit()).as("the Job controller has not decided yet").isNotDone();
    driver.jobFailed("trainyard-job-205");

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("node_lost");
    assertThat(result.logTail()).contains("gone", "BackoffLimitExceeded");
  }

  @Test
  void aPodTheKubeletEvictedIsEvicted() throws Exception {
    Watched trainer = runningTrainer(206);

    driver.podReason(
        trainer.pod(),
        "Failed",
        "Evicted",
        "The node was low on resource: ephemeral-storage.",
        false);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("evicted");
    assertThat(result.logTail()).contains("ephemeral-storage");
  }

  @Test
  void aPodEvictedThroughTheEvictionApiIsEvicted() throws Exception {
    Watched trainer = runningTrainer(207);

    driver.disruptionTarget(trainer.pod(), "EvictionByEvictionAPI", "Eviction API: evicting", true);
    driver.disruptedAndEnded(trainer.pod(), "EvictionByEvictionAPI", "Eviction API: evicting", 137);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("evicted");
    assertThat(result.exitCode()).isEqualTo(137);
  }

  @Test
  void aPodTheKubeletTerminatedForNodePressureOrShutdownIsEvicted() throws Exception {
    Watched trainer = runningTrainer(208);

    driver.disruptedAndEnded(
        trainer.pod(),
        "TerminationByKubelet",
        "Pod was terminated in response to imminent node shutdown.",
        143);

    assertThat(trainer.exit().get(10, TimeUnit.SECONDS).cause()).isEqualTo("evicted");
  }

  @Test
  void anOutOfMemoryKillOfADisruptedPodIsStillOomKilled() throws Exception {
    Watched trainer = runningTrainer(209);

    driver.terminated(trainer.pod(), 137, "OOMKilled", null);

    TrainerExit result = trainer.exit().get(10, TimeUnit.SECONDS);
    assertThat(result.cause()).isEqualTo("oom_killed");
    assertThat(result.exitCode()).isEqualTo(137);
  }

  @Test
  void anImageThatCannotBePulledIsImagePullFailed() throws Exception {
    TrainerHandle handle = launch(210);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-210");

    driver.waitingFor(pod, "ErrImagePull", "manifest unknown");

    assertThat(exit.get(10, TimeUnit.SECONDS).cause()).isEqualTo("image_pull_failed");
    assertThat(pods(210)).isEmpty();
  }

  @Test
  void anUnschedulablePodThatGetsANodeWithinTheLimitKeepsRunning() throws Exception {
    TrainerHandle handle = launch(211);
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, handle);
    Pod pod = driver.createPod("trainyard-job-211");
    driver.unschedulable(pod, "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    Thread.sleep(400);

    driver.running(pod); // a node came free (an autoscaler added one)
    Thread.sleep(1_200); // past the 1 s limit

    assertThat(exit).isNotDone();
    driver.terminated(pod, 0, "Completed", null);
    assertThat(exit.get(10, TimeUnit.SECONDS).cause()).isEqualTo("exited");
  }

  // --- attempts (issue #16): each attempt is a Job of its own ---

  static LaunchRequest attempt(long jobId, int attempt, Integer resumeEpoch) {
    return new LaunchRequest(
        spec(jobId),
        attempt,
        resumeEpoch == null
            ? null
            : new dev.trainyard.workflows.messages.CheckpointSaved(
                attempt - 1,
                resumeEpoch,
                "s3://trainyard/checkpoints/job-"
                    + jobId
                    + "/attempt-"
                    + (attempt - 1)
                    + "/last.pt",
                1_000));
  }

  @Test
  void aSecondAttemptIsANewJobWithItsAttemptItsCheckpointAndItsOwnToken() throws Exception {
    TrainerHandle first = launcher.launch(attempt(220, 1, null));
    TrainerHandle second = launcher.launch(attempt(220, 2, 3));

    assertThat(first.ref()).isEqualTo("training/trainyard-job-220");
    assertThat(second.ref()).isEqualTo("training/trainyard-job-220-a2");
    assertThat(second.logLocation()).isEqualTo("kubernetes://training/jobs/trainyard-job-220-a2");
    assertThat(TrainerJobNames.jobIdOf("trainyard-job-220-a2")).isEqualTo(220);
    assertThat(TrainerJobNames.jobIdOf("trainyard-job-220")).isEqualTo(220);
    assertThat(TrainerJobNames.attemptOf("trainyard-job-220-a2")).isEqualTo(2);
    assertThat(TrainerJobNames.attemptOf("trainyard-job-220")).isEqualTo(1);
    assertThat(TrainerJobNames.jobIdOf("trainyard-job-220-a1")).isZero();
    assertThat(TrainerJobNames.jobIdOf("trainyard-job-220-ax")).isZero();

    Job job = client.batch().v1().jobs().inNamespace(NS).withName("trainyard-job-220-a2").get();
    assertThat(job.getMetadata().getLabels())
        .containsEntry("trainyard.dev/job-id", "220")
        .containsEntry("trainyard.dev/attempt", "2");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("trainyard.dev/attempt", "2");
    assertThat(job(220).getMetadata().getLabels()).containsEntry("trainyard.dev/attempt", "1");
    Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env =
        trainer.getEnv().stream()
            .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .containsEntry("JOB_ID", "220")
        .containsEntry("ATTEMPT", "2")
        .containsEntry("CHECKPOINT_EVERY_EPOCHS", "1")
        .containsEntry("RESUME_FROM", "s3://trainyard/checkpoints/job-220/attempt-1/last.pt")
        .containsEntry("RESUME_EPOCH", "3");
    Map<String, String> firstEnv =
        job(220).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(firstEnv)
        .containsEntry("ATTEMPT", "1")
        .doesNotContainKeys("RESUME_FROM", "RESUME_EPOCH");
    assertThat(trainer.getEnvFrom().get(0).getSecretRef().getName())
        .isEqualTo("trainyard-job-220-a2");

    Secret secret = client.secrets().inNamespace(NS).withName("trainyard-job-220-a2").get();
    assertThat(secret.getMetadata().getLabels()).containsEntry("trainyard.dev/attempt", "2");
    assertThat(secret.getMetadata().getOwnerReferences().get(0).getName())
        .isEqualTo("trainyard-job-220-a2");
    io.jsonwebtoken.Claims claims =
        io.jsonwebtoken.Jwts.parser()
            .verifyWith(io.jsonwebtoken.security.Keys.hmacShaKeyFor(SECRET))
            .build()
            .parseSignedClaims(secret.getStringData().get("CALLBACK_TOKEN"))
            .getPayload();
    assertThat(claims.get("attempt", Integer.class)).isEqualTo(2);
    assertThat(claims.get("job_id", Long.class)).isEqualTo(220L);
    io.jsonwebtoken.Claims firstClaims =
        io.jsonwebtoken.Jwts.parser()
            .verifyWith(io.jsonwebtoken.security.Keys.hmacShaKeyFor(SECRET))
            .build()
            .parseSignedClaims(secret(220).getStringData().get("CALLBACK_TOKEN"))
            .getPayload();
    assertThat(firstClaims.get("attempt", Integer.class)).isEqualTo(1);

    // a retried launch of attempt 2 adopts attempt 2's Job
    assertThat(launcher.launch(attempt(220, 2, 3))).isEqualTo(second);
    // and attempt 2 is watched on its own pod
    CompletableFuture<TrainerExit> exit = awaitExitAsync(launcher, second);
    Pod pod = driver.createPod("trainyard-job-220-a2");
    driver.running(pod);
    driver.terminated(pod, 0, "Completed", null);
    assertThat(exit.get(10, TimeUnit.SECONDS).exitCode()).isZero();
  }

  @Test
  void theArchivedLogOfARetriedJobHoldsEveryAttemptInOrder() throws Exception {
    ArchiveServer s3 = ArchiveServer.get();
    try (Archiving archiving = archiving()) {
      TrainerHandle first = archiving.stub().launch(attempt(221, 1, null));
      CompletableFuture<TrainerExit> firstExit = awaitExitAsync(archiving.stub(), first);
      Pod firstPod = driver.createPod("trainyard-job-221");
      podLog(firstPod, new AtomicReference<>("attempt one epoch 1\nattempt one epoch 2\nKilled\n"));
      driver.running(firstPod);
      driver.terminated(firstPod, 137, "OOMKilled", null);
      firstExit.get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.read(221).orElse("").endsWith("Killed\n"));
      archiving.stub().stop(new StopRequest(first, 0));

      TrainerHandle second = archiving.stub().launch(attempt(221, 2, 2));
      CompletableFuture<TrainerExit> secondExit = awaitExitAsync(archiving.stub(), second);
      Pod secondPod = driver.createPod("trainyard-job-221-a2");
      AtomicReference<String> log = new AtomicReference<>("resumed at epoch 3\n");
      podLog(secondPod, log);
      driver.running(secondPod);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.read(221).orElse("").contains("resumed at epoch 3"));
      log.set("resumed at epoch 3\ndone\n");
      driver.terminated(secondPod, 0, "Completed", null);
      secondExit.get(10, TimeUnit.SECONDS);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.read(221).orElse("").endsWith("done\n"));
      assertThat(s3.read(221))
          .contains(
              "attempt one epoch 1\nattempt one epoch 2\nKilled\n--- attempt 2 ---\n"
                  + "resumed at epoch 3\ndone\n");
    }
  }

  @Test
  void aFrameworkWithoutAnImageIsRejectedWithoutRetry() {
    JobSpec spec = spec(13);
    JobSpec unknown =
        new JobSpec(
            13,
            spec.traceId(),
            new SubmittedSpec(
                "pytorch-lightning",
                spec.submitted().modelName(),
                spec.submitted().datasetId(),
                1,
                1,
                0.1,
                spec.submitted().projectId(),
                Map.of(),
                spec.submitted().timeouts(),
                null,
                null));

    assertThatThrownBy(() -> launcher.launch(new LaunchRequest(unknown)))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.LAUNCH_REJECTED);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("pytorch-lightning");
            });
    assertThat(job(13)).isNull();
  }
}
