package dev.trainyard.workflows;

import static dev.trainyard.workflows.JobStatus.CANCELLED;
import static dev.trainyard.workflows.JobStatus.FAILED;
import static dev.trainyard.workflows.JobStatus.PENDING;
import static dev.trainyard.workflows.JobStatus.QUEUED;
import static dev.trainyard.workflows.JobStatus.RUNNING;
import static dev.trainyard.workflows.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's transition table, checked pair by pair. */
class JobStatusTest {
  private static final Map<JobStatus, Set<JobStatus>> SEED_TABLE =
      Map.of(
          PENDING, EnumSet.of(QUEUED, FAILED, CANCELLED),
          QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED));

  @Test
  void everyPairFollowsTheSeedTable() {
    int allowed = 0;
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        boolean expected = SEED_TABLE.getOrDefault(from, Set.of()).contains(to);
        assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(expected);
        allowed += expected ? 1 : 0;
      }
    }
    assertThat(allowed).isEqualTo(9);
  }

  @Test
  void onlyTheEndStatesAreTerminal() {
    assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isTerminal))
        .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED);
  }

  @Test
  void wireNamesRoundTrip() {
    for (JobStatus status : JobStatus.values()) {
      assertThat(JobStatus.fromWire(status.wireName())).isEqualTo(status);
    }
    assertThat(RUNNING.wireName()).isEqualTo("running");
  }
}
