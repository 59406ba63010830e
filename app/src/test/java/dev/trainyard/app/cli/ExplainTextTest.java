package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How explain reads when the API could not ask Temporal (the API side: ExplainEndpointTest). */
class ExplainTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void withTemporalDownTheDeadlineIsToldFromTheDatabaseAndSaysSo() throws Exception {
    JsonNode explanation =
        JSON.readTree(
            """
            {"job_id": 12, "trace_id": "t-1", "summary": "running: epoch 2 of 3 (66.7 %)",
             "reason": null,
             "timeline": [{"status": "pending", "at": "2026-12-01T10:00:00Z", "seconds": 0.4},
                          {"status": "running", "at": "2026-12-01T10:00:01Z", "seconds": 125,
                           "current": true}],
             "waiting_for": {"kind": "heartbeat", "text": "the trainer's next callback",
                             "deadline_at": "2026-12-01T10:10:00Z", "seconds_left": -3.5,
                             "then": "heartbeat_timeout", "source": "database"},
             "temporal": {"reachable": false,
                          "problem": "Temporal could not be asked: UNAVAILABLE (io exception)",
                          "pending_activities": []},
             "last_events": [], "log": {"lines": [], "note": "the trainer's log is gone"},
             "links": {"temporal_ui": null, "mlflow_run": null}}
            """);

    String text = ExplainText.of(explanation);

    assertThat(text)
        .startsWith("job 12: running: epoch 2 of 3 (66.7 %)\n  trace id     t-1\n\ntimeline\n")
        .contains("\n  pending    2026-12-01T10:00:00Z         0.4 s\n")
        .contains("\n  running    2026-12-01T10:00:01Z         2 min 5 s so far\n")
        .contains(
            "\nwaiting for  the trainer's next callback\n"
                + "  deadline   2026-12-01T10:10:00Z, 3.5 s ago (then: heartbeat_timeout)\n"
                + "  (told from the database: the workflow could not be asked)\n"
                + "temporal     Temporal could not be asked: UNAVAILABLE (io exception)\n"
                + "             (the rest comes from the database)\n")
        .contains("\nlast events\n  none\n")
        .contains("\nlast log lines\n  none: the trainer's log is gone\n");
  }

  @Test
  void theAttemptsAreListedAndAPendingRetrySaysWhen() throws Exception {
    JsonNode explanation =
        JSON.readTree(
            """
            {"job_id": 12, "summary": "running: attempt 1 of 3, epoch 3 of 6", "timeline": [],
             "waiting_for": {"kind": "retry", "text": "retrying: attempt 2 of 3 at T",
                             "deadline_at": "2026-12-01T10:05:10Z", "seconds_left": 8,
                             "source": "workflow"},
             "temporal": {"reachable": true, "workflow_status": "running", "history_length": 40,
                          "pending_activities": []},
             "last_events": [], "log": {"lines": []}, "links": {},
             "attempts": {"attempt": 1, "max_attempts": 3,
                          "lines": ["attempt 1 started 2026-12-01T10:00:00Z; ran 5 min and failed (oom_killed)"],
                          "retrying": "retrying: attempt 2 of 3 at 2026-12-01T10:05:10Z (in 8 s)",
                          "next_attempt_at": "2026-12-01T10:05:10Z"}}
            """);

    assertThat(ExplainText.of(explanation))
        .contains(
            "\n\nattempts     1 of 3\n"
                + "  attempt 1 started 2026-12-01T10:00:00Z; ran 5 min and failed (oom_killed)\n"
                + "  retrying: attempt 2 of 3 at 2026-12-01T10:05:10Z (in 8 s)\n\n"
                + "waiting for  retrying: attempt 2 of 3 at T\n"
                + "  deadline   2026-12-01T10:05:10Z, in 8.0 s\n");
  }

  @Test
  void aJobOfOneAttemptSaysNothingOfAttempts() throws Exception {
    JsonNode explanation =
        JSON.readTree(
            """
            {"job_id": 12, "summary": "running", "timeline": [],
             "waiting_for": {"kind": "nothing", "text": "x"}, "temporal": {"reachable": true},
             "last_events": [], "log": {"lines": []}, "links": {},
             "attempts": {"attempt": 1, "max_attempts": 1, "lines": ["attempt 1 started T"]}}
            """);

    assertThat(ExplainText.of(explanation)).doesNotContain("attempts");
  }
}
