package dev.trainyard.api.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.jobs.LockedJob;
import dev.trainyard.workflows.messages.CheckpointSaved;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With storage configured, a checkpoint the workflow hears of is in the API's own bucket. */
class CheckpointEventsTest {
  private static final LockedJob JOB =
      new LockedJob(12, "trace", "proj-1", "running", null, null, 2);

  private static Map<String, Object> last(String uri) {
    return Map.of("epoch", 3, "uri", uri, "kind", "last", "bytes", 10);
  }

  @Test
  void onlyTheConfiguredBucketsJobCheckpointsAreSignalled() {
    CheckpointEvents events = new CheckpointEvents("trainyard");

    assertThat(
            events.of(
                JOB,
                "checkpoint_saved",
                last("s3://trainyard/checkpoints/job-12/attempt-2/last.pt"),
                99))
        .contains(
            new CheckpointSaved(2, 3, "s3://trainyard/checkpoints/job-12/attempt-2/last.pt", 99));
    for (String uri :
        new String[] {
          "s3://other/checkpoints/job-12/attempt-2/last.pt",
          "s3://trainyard/checkpoints/job-120/attempt-2/last.pt",
          "s3://trainyard/checkpoints/job-12/",
          "s3://trainyard/checkpoints/job-12//last.pt",
          "s3://trainyard/checkpoints/job-12/a/../../job-13/last.pt",
          "s3://trainyard/checkpoints/job-12/a b.pt",
          "s3://trainyard/checkpoints/job-12/last.pt?x=1",
          "S3://trainyard/checkpoints/job-12/last.pt",
          "s3:///checkpoints/job-12/last.pt"
        }) {
      assertThat(events.of(JOB, "checkpoint_saved", last(uri), 99)).as(uri).isEmpty();
    }
  }

  @Test
  void withoutStorageAnyBucketIsAcceptedButTheJobsPathIsStillRequired() {
    CheckpointEvents events = new CheckpointEvents(null);

    assertThat(events.of(JOB, "checkpoint_saved", last("s3://b/checkpoints/job-12/last.pt"), 1))
        .isPresent();
    assertThat(events.of(JOB, "checkpoint_saved", last("s3://b/checkpoints/job-13/last.pt"), 1))
        .isEmpty();
  }
}
