package dev.trainyard.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.workflows.FailureTypes;
import dev.trainyard.workflows.TrainerLauncher;
import dev.trainyard.workflows.messages.CheckpointSaved;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.LaunchRequest;
import dev.trainyard.workflows.messages.StopRequest;
import dev.trainyard.workflows.messages.SubmittedSpec;
import dev.trainyard.workflows.messages.TrainerExit;
import dev.trainyard.workflows.messages.TrainerHandle;
import io.jsonwebtoken.Claims;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTrainerLauncherTest {
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  @TempDir Path jobs;
  TestActivityEnvironment env;
  final List<String> heartbeats = new CopyOnWriteArrayList<>();
  final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

  @BeforeEach
  void createEnvironment() {
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(String.class, heartbeats::add);
  }

  @AfterEach
  void cleanUp() {
    started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
    started.forEach(ProcessHandle::destroyForcibly);
    env.close();
  }

  /** A launcher whose trainer for framework "yolo" is {@code sh -c script}. */
  TrainerLauncher launcher(String script) {
    return launcher(new LocalTrainerLauncher(config(script), issuer()));
  }

  TrainerLauncher launcher(LocalTrainerLauncher implementation) {
    env.registerActivitiesImplementations(implementation);
    return env.newActivityStub(TrainerLauncher.class, OPTIONS);
  }

  LocalLauncherConfig config(String script) {
    return new LocalLauncherConfig(
        Map.of("yolo", List.of("sh", "-c", script)),
        List.of(),
        jobs,
        "http://127.0.0.1:8080",
        Map.of("STORAGE_TYPE", "local", "JOB_ID", "not-the-job-id"));
  }

  static CallbackTokenIssuer issuer() {
    return new CallbackTokenIssuer(CallbackTokenIssuerTest.SECRET);
  }

  static LaunchRequest request(long jobId, String framework) {
    return new LaunchRequest(
        new JobSpec(
            jobId,
            "trace-" + jobId,
            new SubmittedSpec(
                framework,
                "yolov8n.pt",
                "coco128",
                3,
                16,
                0.0001,
                "proj-1",
                Map.of("imgsz", 320, "mosaic", false),
                new JobTimeouts(600, 900, 3600, 5),
                null,
                null)));
  }

  TrainerHandle launch(TrainerLauncher launcher, long jobId) {
    TrainerHandle handle = launcher.launch(request(jobId, "yolo"));
    ProcessHandle.of(Long.parseLong(handle.ref())).ifPresent(started::add);
    return handle;
  }

  static String log(TrainerHandle handle) throws Exception {
    return Files.readString(Path.of(handle.logLocation()));
  }

  @Test
  void givesTheTrainerTheSeedEnvironmentAndAValidToken() throws Exception {
    TrainerLauncher launcher =
        launcher("python3 -c 'import os, json; print(json.dumps(dict(os.environ)))'");

    TrainerHandle handle = launch(launcher, 11);
    TrainerExit exit = launcher.awaitExit(handle);

    assertThat(exit.exitCode()).isZero();
    assertThat(handle.runtime()).isEqualTo("local");
    assertThat(handle.logLocation()).isEqualTo(jobs.resolve("job-11/trainer.log").toString());
    @SuppressWarnings("unchecked")
    Map<String, String> seen = new ObjectMapper().readValue(log(handle).trim(), Map.class);
    assertThat(seen)
        .containsEntry("JOB_ID", "11")
        .containsEntry("TRACE_ID", "trace-11")
        .containsEntry("BACKEND_BASE_URL", "http://127.0.0.1:8080")
        // the project's copy: a seed trainer downloads datasets/{DATASET_ID}.zip
        .containsEntry("DATASET_ID", "proj-1/coco128")
        .containsEntry("MODEL_NAME", "yolov8n.pt")
        .containsEntry("EPOCHS", "3")
        .containsEntry("BATCH_SIZE", "16")
        .containsEntry("LEARNING_RATE", "0.0001")
        .containsEntry("PROJECT_ID", "proj-1")
        .containsEntry("FRAMEWORK", "yolo")
        .containsEntry("STORAGE_TYPE", "local")
        .containsKey("PATH")
        .doesNotContainKey("TRAINYARD_JWT_SECRET");
    assertThat(System.getenv("TRAINYARD_JWT_SECRET"))
        .as("surefire sets it for this check")
        .isNotNull();
    assertThat(new ObjectMapper().readValue(seen.get("HYPERPARAMETERS"), Map.class))
        .isEqualTo(Map.of("imgsz", 320, "mosaic", false));
    Claims claims = CallbackTokenIssuerTest.verify(seen.get("CALLBACK_TOKEN")).getPayload();
    assertThat(claims.get("job_id", Long.class)).isEqualTo(11L);
    assertThat(claims.get("scope")).isEqualTo("training-callback");
    assertThat(claims.getExpiration().getTime() - claims.getIssuedAt().getTime())
        .isEqualTo((900 + 3600 + 5 + 600) * 1000L);
    assertThat(exit.logTail())
        .contains("\"JOB_ID\": \"11\"")
        .doesNotContain(seen.get("CALLBACK_TOKEN"));
    assertThat(Files.readString(jobs.resolve("job-11/trainer.pid")).trim()).isEqualTo(handle.ref());
  }

  @Test
  void reportsTheExitCodeAndTheLogTailWhileHeartbeating() {
    TrainerLauncher launcher =
        launcher("for i in $(seq 1 40); do echo line $i; done; echo oops >&2; sleep 3; exit 3");

    TrainerExit exit = launcher.awaitExit(launch(launcher, 12));

    assertThat(exit.exitCode()).isEqualTo(3);
    assertThat(exit.cause()).isEqualTo("exited");
    List<String> lines = exit.logTail().lines().toList();
    assertThat(lines).hasSize(30).endsWith("line 40", "oops").startsWith("line 12");
    assertThat(exit.observedAtMillis())
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    assertThat(heartbeats).isNotEmpty().allMatch(h -> h.contains("running"));
  }

  @Test
  void stopForcesATrainerThatIgnoresSigtermAndItsChildrenAfterTheGrace() throws Exception {
    TrainerLauncher launcher =
        launcher("trap '' TERM; sleep 300 & echo $! > grandchild.pid; echo ready; wait");
    TrainerHandle handle = launch(launcher, 13);
    await().atMost(Duration.ofSeconds(10)).until(() -> log(handle).contains("ready"));
    long grandchild =
        Long.parseLong(Files.readString(jobs.resolve("job-13/grandchild.pid")).trim());

    long before = System.nanoTime();
    launcher.stop(new StopRequest(handle, 2));
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isEmpty();
    TrainerExit exit = launcher.awaitExit(handle);
    assertThat(exit.exitCode()).isEqualTo(137);
    assertThat(exit.cause()).isEqualTo("killed");
  }

  @Test
  void stopLetsACooperativeTrainerExitCleanlyAndIsIdempotent() throws Exception {
    TrainerLauncher launcher =
        launcher(
            "trap 'echo saving checkpoint; exit 0' TERM; echo ready; while :; do sleep 0.1; done");
    TrainerHandle handle = launch(launcher, 14);
    await().atMost(Duration.ofSeconds(10)).until(() -> log(handle).contains("ready"));

    long before = System.nanoTime();
    launcher.stop(new StopRequest(handle, 30));
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
    launcher.stop(new StopRequest(handle, 30));

    TrainerExit exit = launcher.awaitExit(handle);
    assertThat(exit.exitCode()).isZero();
    assertThat(exit.logTail()).contains("saving checkpoint");
  }

  @Test
  void aSecondLaunchAdoptsTheRunningTrainerEvenFromAFreshWorker() throws Exception {
    String script = "echo started; sleep 300";
    TrainerLauncher launcher = launcher(script);
    TrainerHandle first = launch(launcher, 15);
    await().atMost(Duration.ofSeconds(10)).until(() -> log(first).contains("started"));

    TrainerHandle retry = launcher.launch(request(15, "yolo"));
    assertThat(retry).isEqualTo(first);

    // A new worker process knows nothing of its predecessor's children: only the pid file.
    env.close();
    createEnvironment();
    TrainerLauncher restarted = launcher(new LocalTrainerLauncher(config(script), issuer()));
    assertThat(restarted.launch(request(15, "yolo"))).isEqualTo(first);
    assertThat(log(first).lines().filter("started"::equals)).hasSize(1);

    restarted.stop(new StopRequest(first, 1));
    TrainerExit exit = restarted.awaitExit(first);
    assertThat(exit.exitCode()).as("not our child: the code is unknown").isNull();
    assertThat(exit.cause()).isEqualTo("exited");
    assertThat(exit.logTail()).contains("started");
  }

  static LaunchRequest attempt(long jobId, int attempt, Integer resumeEpoch) {
    return new LaunchRequest(
        request(jobId, "yolo").spec(),
        attempt,
        resumeEpoch == null
            ? null
            : new CheckpointSaved(
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
  void aSecondAttemptIsAFreshProcessWithItsCheckpointInTheSameLog() throws Exception {
    String script =
        "echo \"attempt=$ATTEMPT every=$CHECKPOINT_EVERY_EPOCHS from=${RESUME_FROM:-none}"
            + " epoch=${RESUME_EPOCH:-none}\"; echo token=$CALLBACK_TOKEN > token-$ATTEMPT;"
            + " [ \"$ATTEMPT\" = 1 ] && exit 137; echo resumed";
    TrainerLauncher launcher = launcher(script);
    TrainerHandle first = launcher.launch(attempt(19, 1, null));
    ProcessHandle.of(Long.parseLong(first.ref())).ifPresent(started::add);
    TrainerExit firstExit = launcher.awaitExit(first);
    assertThat(firstExit.exitCode()).isEqualTo(137);

    TrainerHandle second = launcher.launch(attempt(19, 2, 3));
    ProcessHandle.of(Long.parseLong(second.ref())).ifPresent(started::add);
    TrainerExit secondExit = launcher.awaitExit(second);

    assertThat(second.ref()).isNotEqualTo(first.ref());
    assertThat(second.logLocation()).isEqualTo(first.logLocation());
    assertThat(secondExit.exitCode()).isZero();
    assertThat(log(second).lines().toList())
        .containsExactly(
            "attempt=1 every=1 from=none epoch=none",
            "--- attempt 2 ---",
            "attempt=2 every=1 from=s3://trainyard/checkpoints/job-19/attempt-1/last.pt epoch=3",
            "resumed");
    assertThat(secondExit.logTail())
        .as("the last attempt's lines alone")
        .isEqualTo(
            "attempt=2 every=1 from=s3://trainyard/checkpoints/job-19/attempt-1/last.pt epoch=3\n"
                + "resumed");
    Path folder = jobs.resolve("job-19");
    assertThat(Files.readString(folder.resolve("trainer-1.pid")).trim()).isEqualTo(first.ref());
    assertThat(Files.readString(folder.resolve("trainer-2.pid")).trim()).isEqualTo(second.ref());
    assertThat(Files.readString(folder.resolve("trainer.pid")).trim()).isEqualTo(second.ref());
    for (int n : new int[] {1, 2}) {
      String token = Files.readString(folder.resolve("token-" + n)).trim().substring(6);
      assertThat(CallbackTokenIssuerTest.verify(token).getPayload().get("attempt", Integer.class))
          .isEqualTo(n);
    }
  }

  @Test
  void aRetriedLaunchAdoptsOnlyItsOwnAttemptsTrainer() throws Exception {
    String script = "echo started $ATTEMPT; sleep 300";
    TrainerLauncher launcher = launcher(script);
    TrainerHandle first = launch(launcher, 20);
    await().atMost(Duration.ofSeconds(10)).until(() -> log(first).contains("started 1"));
    long firstPid = Long.parseLong(first.ref());

    // attempt 1's stop failed: its trainer is still there when attempt 2 starts, on a new worker
    env.close();
    createEnvironment();
    TrainerLauncher restarted = launcher(new LocalTrainerLauncher(config(script), issuer()));
    TrainerHandle second = restarted.launch(attempt(20, 2, null));
    ProcessHandle.of(Long.parseLong(second.ref())).ifPresent(started::add);

    assertThat(second.ref()).isNotEqualTo(first.ref());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(firstPid).map(p -> !p.isAlive()).orElse(true));
    assertThat(restarted.launch(attempt(20, 2, null))).as("a retry of attempt 2").isEqualTo(second);
    await().atMost(Duration.ofSeconds(10)).until(() -> log(second).contains("started 2"));
    assertThat(log(second).lines().filter(l -> l.startsWith("started 2"))).hasSize(1);
    assertThatThrownBy(() -> restarted.launch(attempt(20, 1, null)))
        .as("attempt 1 cannot come back once attempt 2 runs")
        .satisfies(e -> assertLaunchRejected(e, "attempt 2"));

    restarted.stop(new StopRequest(second, 1));
  }

  @Test
  void anUnknownFrameworkIsRejectedNamingTheSetting() {
    TrainerLauncher launcher = launcher("true");

    assertThatThrownBy(() -> launcher.launch(request(16, "pytorch-lightning")))
        .satisfies(e -> assertLaunchRejected(e, "pytorch-lightning", "TRAINYARD_TRAINER_COMMAND"));
    assertThat(jobs.resolve("job-16/trainer.pid")).doesNotExist();
  }

  @Test
  void aCommandThatCannotStartIsRejected() {
    LocalLauncherConfig config =
        LocalLauncherConfig.withDefaultCommand(
            List.of(jobs.resolve("no-such-trainer").toString()), jobs, "http://localhost:8080");
    TrainerLauncher launcher = launcher(new LocalTrainerLauncher(config, issuer()));

    assertThatThrownBy(() -> launcher.launch(request(17, "anything")))
        .satisfies(e -> assertLaunchRejected(e, "no-such-trainer", "TRAINYARD_TRAINER_COMMAND"));
  }

  @Test
  void awaitingAndStoppingAGoneTrainerReturnAtOnce() throws Exception {
    TrainerLauncher launcher = launcher("echo bye");
    TrainerHandle handle = launch(launcher, 18);
    assertThat(launcher.awaitExit(handle).exitCode()).isZero();

    env.close();
    createEnvironment();
    TrainerLauncher restarted = launcher(new LocalTrainerLauncher(config("true"), issuer()));
    long before = System.nanoTime();
    TrainerExit again = restarted.awaitExit(handle);
    restarted.stop(new StopRequest(handle, 30));

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    assertThat(again.exitCode()).isNull();
    assertThat(again.logTail()).isEqualTo("bye");
  }

  private static void assertLaunchRejected(Throwable thrown, String... mentions) {
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("an ApplicationFailure in %s", thrown).isNotNull();
    ApplicationFailure failure = (ApplicationFailure) cause;
    assertThat(failure.getType()).isEqualTo(FailureTypes.LAUNCH_REJECTED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(mentions);
  }
}
