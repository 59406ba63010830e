package dev.trainyard.store.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The submitted spec goes into its row and comes back as the same spec. */
class JobDaoTest {
  static EmbeddedDatabase database;
  static Jdbi jdbi;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.startTemporary();
    jdbi = Database.connect(database.dataSource());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void theStoredSpecReadsBackAsTheSubmittedOne() {
    SubmittedSpec submitted =
        TestJobs.spec(Map.of("imgsz", 640, "mosaic", 0.5, "augment", List.of("flip", "hsv")));

    JobSpec job =
        TestJobs.insert(
            jdbi,
            submitted,
            "key-1",
            "{\"imgsz\": 640, \"mosaic\": 0.5, \"augment\": [\"flip\", \"hsv\"]}");
    JobRecord stored = jdbi.onDemand(JobDao.class).findById(job.jobId()).orElseThrow();

    assertThat(stored.spec()).isEqualTo(submitted);
    assertThat(stored.traceId()).isEqualTo(job.traceId());
    assertThat(stored.workflowId()).isEqualTo("training-job-" + job.jobId());
    assertThat(stored.idempotencyKey()).isEqualTo("key-1");
    assertThat(stored.status()).isEqualTo("pending");
  }

  @Test
  void aSecondJobWithTheSameIdempotencyKeyIsNotInserted() {
    TestJobs.insert(jdbi, TestJobs.spec(Map.of()), "key-2", "{}");
    JobDao jobs = jdbi.onDemand(JobDao.class);

    JobSpec again = new JobSpec(jobs.nextId(), "another-trace", TestJobs.spec(Map.of()));

    assertThat(jobs.insert(again, "key-2", "training-job-" + again.jobId(), "{}", "k")).isZero();
    assertThat(jobs.findById(again.jobId())).isEmpty();
  }

  @Test
  void anIdempotencyKeyIsUniquePerProjectOnly() {
    TestJobs.insert(jdbi, TestJobs.spec(Map.of()), "key-3", "{}");
    jdbi.onDemand(ProjectDao.class).create("proj-2", "test");
    JobDao jobs = jdbi.onDemand(JobDao.class);
    SubmittedSpec elsewhere =
        new SubmittedSpec(
            "ultralytics",
            "yolov8n.pt",
            "coco128",
            3,
            16,
            0.0001,
            "proj-2",
            Map.of(),
            new JobTimeouts(600, 900, 3600, 45),
            null,
            null);
    JobSpec other = new JobSpec(jobs.nextId(), "other-trace", elsewhere);

    assertThat(jobs.insert(other, "key-3", "training-job-" + other.jobId(), "{}", "k")).isOne();
    assertThat(jobs.findByIdempotencyKey("proj-2", "key-3").orElseThrow().id())
        .isEqualTo(other.jobId());
    assertThat(jobs.findByIdempotencyKey("proj-1", "key-3").orElseThrow().id())
        .isNotEqualTo(other.jobId());
  }
}
