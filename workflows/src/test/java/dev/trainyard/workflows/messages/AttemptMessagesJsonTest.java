package dev.trainyard.workflows.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.trainyard.workflows.FailureReason;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The messages that gained attempts still read what histories recorded before them, and the new
 * fields are written only when set.
 */
class AttemptMessagesJsonTest {
  private static final DataConverter TEMPORAL = DefaultDataConverter.newDefaultInstance();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final SubmittedSpec PLAIN =
      new SubmittedSpec(
          "ultralytics",
          "yolov8n.pt",
          "coco8",
          3,
          16,
          0.01,
          "demo",
          Map.of(),
          JobTimeouts.defaults());

  private static <T> T decode(String json, Class<T> type) {
    Payload payload =
        TEMPORAL.toPayload("x").orElseThrow().toBuilder()
            .setData(ByteString.copyFromUtf8(json))
            .build();
    return TEMPORAL.fromPayload(payload, type, type);
  }

  private static <T> T roundTrip(T value, Class<T> type) {
    return TEMPORAL.fromPayload(TEMPORAL.toPayload(value).orElseThrow(), type, type);
  }

  @Test
  void aLaunchRequestRecordedBeforeAttemptsIsTheFirstAttemptFromTheStart() throws Exception {
    JobSpec spec = new JobSpec(7, "trace-7", PLAIN);
    String recorded =
        JSON.writeValueAsString(
            Map.of(
                "spec",
                JSON.readTree(TEMPORAL.toPayload(spec).orElseThrow().getData().toStringUtf8())));

    LaunchRequest old = decode(recorded, LaunchRequest.class);

    assertThat(old).isEqualTo(new LaunchRequest(spec));
    assertThat(old.attempt()).isEqualTo(1);
    assertThat(old.resumeFrom()).isNull();
    LaunchRequest resumed =
        new LaunchRequest(
            spec, 2, new CheckpointSaved(1, 3, "s3://b/checkpoints/job-7/attempt-1/last.pt", 5));
    assertThat(roundTrip(resumed, LaunchRequest.class)).isEqualTo(resumed);
  }

  @Test
  void aSpecWithoutRetryIsWrittenAsBeforeAndReadsAsOneAttempt() throws Exception {
    String written = TEMPORAL.toPayload(PLAIN).orElseThrow().getData().toStringUtf8();

    assertThat(JSON.readTree(written).has("retry")).isFalse();
    assertThat(JSON.readTree(written).has("checkpointEveryEpochs")).isFalse();
    SubmittedSpec read = decode(written, SubmittedSpec.class);
    assertThat(read).isEqualTo(PLAIN);
    assertThat(read.retryPolicy()).isEqualTo(RetryPolicy.none());
    assertThat(read.checkpointInterval()).isEqualTo(1);
  }

  @Test
  void aSpecWithRetryKeepsItThroughJsonAndThroughWithHyperparameters() throws Exception {
    RetryPolicy retry = new RetryPolicy(3, List.of("oom_killed", "preempted"), 10, 2.0, 600, 3600);
    SubmittedSpec spec =
        new SubmittedSpec(
            "ultralytics",
            "yolov8n.pt",
            "coco8",
            3,
            16,
            0.01,
            "demo",
            Map.of(),
            JobTimeouts.defaults(),
            retry,
            2);
    JobSpec job = new JobSpec(7, "trace-7", spec);

    String written = TEMPORAL.toPayload(job).orElseThrow().getData().toStringUtf8();

    assertThat(JSON.readTree(written).get("retry").get("maxAttempts").asInt()).isEqualTo(3);
    assertThat(JSON.readTree(written).get("checkpointEveryEpochs").asInt()).isEqualTo(2);
    assertThat(JSON.readTree(written).has("retryPolicy")).isFalse();
    assertThat(roundTrip(job, JobSpec.class)).isEqualTo(job);
    assertThat(spec.withHyperparameters(Map.of("imgsz", 320)).retry()).isEqualTo(retry);
    assertThat(spec.withHyperparameters(Map.of("imgsz", 320)).checkpointInterval()).isEqualTo(2);
  }

  @Test
  void callbacksAndDonesRecordedBeforeAttemptsHaveNoAttempt() {
    TrainerCallback callback =
        decode(
            "{\"kind\":\"HEARTBEAT\",\"receivedAtMillis\":5,\"epoch\":2,\"progress\":null}",
            TrainerCallback.class);
    TrainerDone done =
        decode("{\"succeeded\":true,\"error\":null,\"receivedAtMillis\":5}", TrainerDone.class);

    assertThat(callback).isEqualTo(new TrainerCallback(TrainerCallback.Kind.HEARTBEAT, 5, 2, null));
    assertThat(callback.attempt()).isNull();
    assertThat(done.attempt()).isNull();
    TrainerCallback second = new TrainerCallback(TrainerCallback.Kind.EVENT, 5, null, null, 2);
    assertThat(roundTrip(second, TrainerCallback.class)).isEqualTo(second);
  }

  @Test
  void aStateCarriedBeforeAttemptsReadsAsAttemptZeroWithNothingPending() {
    TrainingJobState state =
        decode("{\"status\":\"RUNNING\",\"callbacksReceived\":4}", TrainingJobState.class);

    assertThat(state.attempt).isZero();
    assertThat(state.nextAttemptAtMillis).isZero();
    assertThat(state.latestCheckpoint).isNull();
    JobStateView view = JobStateView.of(state);
    assertThat(view.attempt()).isEqualTo(1);
    assertThat(view.maxAttempts()).isEqualTo(1);
  }

  @Test
  void backoffsGrowByTheMultiplierUpToTheirMaximum() {
    RetryPolicy policy = new RetryPolicy(5, null, 10, 2.0, 60, null);

    assertThat(policy.retryOn()).isEqualTo(RetryPolicy.DEFAULT_RETRY_ON);
    assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(new RetryPolicy(2, null, 0, 2.0, 0, null).backoffAfter(3)).isZero();
  }

  @Test
  void theNeverRetriedStayUnretriedWhateverRetryOnSays() {
    RetryPolicy everything =
        new RetryPolicy(
            3,
            List.of(
                "trainer_reported_failure", "deadline_exceeded", "cancelled_by_user", "oom_killed"),
            10,
            2.0,
            600,
            null);

    assertThat(everything.retries(FailureReason.TRAINER_REPORTED_FAILURE)).isFalse();
    assertThat(everything.retries(FailureReason.DEADLINE_EXCEEDED)).isFalse();
    assertThat(everything.retries(FailureReason.CANCELLED_BY_USER)).isFalse();
    assertThat(everything.retries(FailureReason.OOM_KILLED)).isTrue();
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    assertThat(RetryPolicy.ALLOWED_RETRY_ON).containsAll(RetryPolicy.DEFAULT_RETRY_ON);
    assertThat(RetryPolicy.ALLOWED_RETRY_ON).contains("startup_timeout", "image_pull_failed");
  }

  @Test
  void exitCausesMapToTheirOwnReasons() {
    assertThat(FailureReason.ofTrainerExit("oom_killed")).isEqualTo(FailureReason.OOM_KILLED);
    assertThat(FailureReason.ofTrainerExit("evicted")).isEqualTo(FailureReason.EVICTED);
    assertThat(FailureReason.ofTrainerExit("preempted")).isEqualTo(FailureReason.PREEMPTED);
    assertThat(FailureReason.ofTrainerExit("node_lost")).isEqualTo(FailureReason.NODE_LOST);
    assertThat(FailureReason.ofTrainerExit("image_pull_failed"))
        .isEqualTo(FailureReason.IMAGE_PULL_FAILED);
    assertThat(FailureReason.ofTrainerExit("deadline_exceeded"))
        .isEqualTo(FailureReason.DEADLINE_EXCEEDED);
    assertThat(FailureReason.ofTrainerExit("exited")).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(FailureReason.ofTrainerExit("watch_failed")).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(FailureReason.ofTrainerExit(null)).isEqualTo(FailureReason.TRAINER_EXITED);
    assertThat(FailureReason.fromWire("node_lost")).isEqualTo(FailureReason.NODE_LOST);
  }
}
