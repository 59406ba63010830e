package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code trainyard status}: the attempt a retried job is on, and its attempts. */
class JobTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRetriedJobSaysWhichAttemptAndListsThem() throws Exception {
    JsonNode job =
        JSON.readTree(
            """
            {"job_id": 12, "status": "running", "epochs": 6, "attempt": 2, "max_attempts": 3,
             "attempts": [
               {"attempt": 1, "started_at": "2026-12-01T10:00:00Z",
                "ended_at": "2026-12-01T10:05:00Z", "cause": "oom_killed",
                "message": "exit code 137", "resumed_from": null},
               {"attempt": 2, "started_at": "2026-12-01T10:05:10Z", "ended_at": null,
                "cause": null, "message": null,
                "resumed_from": {"uri": "s3://b/checkpoints/job-12/attempt-1/last.pt",
                                 "epoch": 3}}]}
            """);

    assertThat(JobText.summary(job))
        .startsWith("job 12\n  status                 running\n  attempt                2 of 3\n")
        .endsWith(
            "\n  attempts"
                + "\n    1   2026-12-01T10:00:00Z – 2026-12-01T10:05:00Z  oom_killed: exit code 137"
                + "\n    2   2026-12-01T10:05:10Z – running  resumed from epoch 3"
                + " (s3://b/checkpoints/job-12/attempt-1/last.pt)");
  }

  @Test
  void aJobOfOneAttemptReadsAsBefore() throws Exception {
    JsonNode job =
        JSON.readTree(
            """
            {"job_id": 12, "status": "running", "attempt": 1, "max_attempts": 1,
             "attempts": [{"attempt": 1, "started_at": "T", "ended_at": null}]}
            """);

    assertThat(JobText.summary(job)).isEqualTo("job 12\n  status                 running");
    assertThat(JobText.summary(JSON.readTree("{\"job_id\": 3, \"status\": \"failed\"}")))
        .isEqualTo("job 3\n  status                 failed");
  }
}
