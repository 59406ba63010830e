package dev.trainyard.api.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.jobs.AttemptRecord;
import dev.trainyard.store.jobs.JobRecord;
import dev.trainyard.workflows.JobStatus;
import dev.trainyard.workflows.messages.JobStateView;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.RetryPolicy;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's attempts in words, as explain (and through it the CLI) shows them. */
class AttemptWordsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final RetryPolicy THREE =
      new RetryPolicy(3, RetryPolicy.DEFAULT_RETRY_ON, 10, 2.0, 600, null);

  private static JobRecord job(String status, int attempt) {
    SubmittedSpec spec =
        new SubmittedSpec(
            "ultralytics",
            "yolov8n.pt",
            "coco128",
            6,
            16,
            0.01,
            "proj-1",
            Map.of(),
            JobTimeouts.defaults(),
            THREE,
            1);
    return new JobRecord(
        12,
        "trace",
        null,
        "training-job-12",
        status,
        spec,
        3,
        50.0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "key",
        null,
        T0,
        T0,
        T0,
        null,
        attempt);
  }

  private static JobStateView state(int attempt, long nextAttemptAtMillis, Integer epoch) {
    return new JobStateView(
        JobStatus.RUNNING,
        null,
        null,
        "local",
        0,
        0,
        0,
        0,
        null,
        null,
        0,
        false,
        null,
        null,
        false,
        0,
        0,
        null,
        0,
        attempt,
        3,
        nextAttemptAtMillis,
        null,
        epoch);
  }

  private static final List<AttemptRecord> TWO =
      List.of(
          new AttemptRecord(
              12, 1, T0, T0.plusSeconds(300), "oom_killed", "exit code 137", null, null),
          new AttemptRecord(
              12,
              2,
              T0.plusSeconds(310),
              null,
              null,
              null,
              "s3://b/checkpoints/job-12/a/last.pt",
              3));

  @Test
  void eachAttemptIsOneLineInPlainWords() {
    Explanation.Attempts attempts =
        AttemptWords.of(job("running", 2), TWO, state(2, 0, 3), T0.plusSeconds(400));

    assertThat(attempts.attempt()).isEqualTo(2);
    assertThat(attempts.maxAttempts()).isEqualTo(3);
    assertThat(attempts.retrying()).isNull();
    assertThat(attempts.lines())
        .containsExactly(
            "attempt 1 started 2026-01-01T10:00:00Z; ran 5 min and failed (oom_killed): The"
                + " trainer ran out of memory and was killed (OOM). Use a smaller batch size or"
                + " model, or give the trainer more memory. The message was: “exit code 137”.",
            "attempt 2 started 2026-01-01T10:05:10Z, resuming from epoch 3"
                + " (s3://b/checkpoints/job-12/a/last.pt); running for 1 min 30 s");
  }

  @Test
  void aPendingBackoffSaysWhenTheNextAttemptStarts() {
    List<AttemptRecord> first = List.of(TWO.get(0));
    long next = T0.plusSeconds(310).toEpochMilli();

    Explanation.Attempts attempts =
        AttemptWords.of(job("running", 1), first, state(1, next, 3), T0.plusSeconds(302));

    assertThat(attempts.retrying())
        .isEqualTo("retrying: attempt 2 of 3 at 2026-01-01T10:05:10Z (in 8 s)");
    assertThat(attempts.nextAttemptAt()).isEqualTo("2026-01-01T10:05:10Z");
    assertThat(Summary.of(job("running", 1), 0, T0.plusSeconds(302)))
        .startsWith("running: attempt 1 of 3, epoch 3 of 6");
  }

  @Test
  void anEndedJobHasNoBackoffAndItsSummaryNamesTheLastAttempt() {
    JobRecord failed = job("failed", 3);

    assertThat(AttemptWords.retrying(failed, state(3, 1, 3), 3, T0)).isNull();
    assertThat(Summary.of(failed, 0, T0)).startsWith("failed in attempt 3 of 3");
  }
}
