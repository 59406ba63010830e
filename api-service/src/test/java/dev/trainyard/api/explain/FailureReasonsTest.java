package dev.trainyard.api.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.messages.JobTimeouts;
import org.junit.jupiter.api.Test;

class FailureReasonsTest {
  private static final JobTimeouts TIMEOUTS = new JobTimeouts(90, 300, 7_200, 45);

  /** A reason added to the workflow without words here would reach users as a bare name. */
  @Test
  void everyReasonTheWorkflowRecordsHasItsWords() {
    for (FailureReason reason : FailureReason.values()) {
      assertThat(FailureReasons.words(reason.wireName(), TIMEOUTS)).as(reason.name()).isNotNull();
    }
  }

  @Test
  void theWordsNameTheJobsOwnTimeoutsAndEndWithItsMessage() {
    assertThat(FailureReasons.explain("heartbeat_timeout", "silent", TIMEOUTS))
        .contains("heartbeat timeout (1 min 30 s)")
        .endsWith(" The message was: “silent”.");
    assertThat(FailureReasons.explain("startup_timeout", null, TIMEOUTS))
        .contains("startup timeout (5 min)");
    assertThat(FailureReasons.explain("deadline_exceeded", null, TIMEOUTS))
        .contains("maximum runtime (2 h)");
    assertThat(FailureReasons.explain("cancel_forced", null, TIMEOUTS))
        .contains("cancel grace (45 s)");
  }

  @Test
  void aReasonThisBuildDoesNotKnowIsShownAsItIsAndNoReasonIsNoWords() {
    assertThat(FailureReasons.explain("gpu_on_fire", "hot", TIMEOUTS))
        .isEqualTo("gpu_on_fire. The message was: “hot”.");
    assertThat(FailureReasons.explain(null, null, TIMEOUTS)).isNull();
  }

  @Test
  void durationsReadAsTheDashboardWritesThem() {
    assertThat(DurationText.of(0)).isEqualTo("0 s");
    assertThat(DurationText.of(59.6)).isEqualTo("1 min");
    assertThat(DurationText.of(3_725)).isEqualTo("1 h 2 min");
    assertThat(DurationText.of(90_000)).isEqualTo("1 d 1 h");
  }
}
