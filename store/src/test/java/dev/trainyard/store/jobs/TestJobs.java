package dev.trainyard.store.jobs;

import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.workflows.messages.JobSpec;
import dev.trainyard.workflows.messages.JobTimeouts;
import dev.trainyard.workflows.messages.SubmittedSpec;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Pending job rows made the way the API's submit makes them. */
final class TestJobs {
  private TestJobs() {}

  static SubmittedSpec spec(Map<String, Object> hyperparameters) {
    return new SubmittedSpec(
        "ultralytics",
        "yolov8n.pt",
        "coco128",
        3,
        16,
        0.0001,
        "proj-1",
        hyperparameters,
        new JobTimeouts(600, 900, 3600, 45),
        null,
        null);
  }

  static JobSpec insert(Jdbi jdbi, SubmittedSpec spec, String idempotencyKey, String json) {
    // jobs belong to a project that exists (the API checks it at submit)
    jdbi.onDemand(ProjectDao.class).create(spec.projectId(), "test");
    JobDao jobs = jdbi.onDemand(JobDao.class);
    JobSpec job = new JobSpec(jobs.nextId(), UUID.randomUUID().toString(), spec);
    jobs.insert(job, idempotencyKey, "training-job-" + job.jobId(), json, "test-key");
    return job;
  }

  static long pending(Jdbi jdbi) {
    return insert(jdbi, spec(Map.of()), null, "{}").jobId();
  }
}
