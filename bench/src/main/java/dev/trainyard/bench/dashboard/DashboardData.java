package dev.trainyard.bench.dashboard;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The rows the list benchmark reads, written straight into the tables with SQL (submitting through
 * the API and Temporal would take hours at 200,000 jobs). The mix looks like a busy installation:
 * most jobs ended (70 % succeeded, 15 % failed, 8 % cancelled), a few running, queued or pending;
 * 20 projects of very different sizes (proj-01 holds about a fifth, proj-20 a few hundredths);
 * eight models, one of them rare; random trace ids, as the API makes them.
 */
final class DashboardData {
  private DashboardData() {}

  static void createProjects(Jdbi jdbi) {
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO projects (name, created_by)"
                    + " SELECT 'proj-' || lpad(i::text, 2, '0'), 'bench'"
                    + " FROM generate_series(1, 20) i ON CONFLICT DO NOTHING"));
  }

  /** Appends {@code count} jobs (newer ids than those already there), then ANALYZEs. */
  static void insertJobs(Jdbi jdbi, int count, String[] models) {
    insertJobs(jdbi, count, models, null);
  }

  /** As {@link #insertJobs(Jdbi, int, String[])}, all in {@code project} when it is not null. */
  static void insertJobs(Jdbi jdbi, int count, String[] models, String project) {
    String modelArray =
        Arrays.stream(models)
            .map(m -> "'" + m + "'")
            .collect(Collectors.joining(",", "(ARRAY[", "])"));
    jdbi.useHandle(
        h -> {
          h.execute(
              "INSERT INTO training_jobs (trace_id, workflow_id, status, framework, model_name,"
                  + " dataset_id, epochs, batch_size, learning_rate, project_id, hyperparameters,"
                  + " heartbeat_timeout_seconds, startup_timeout_seconds, max_runtime_seconds,"
                  + " cancel_grace_seconds, current_epoch, progress, final_metrics, submitted_by,"
                  + " created_at)"
                  + " SELECT gen_random_uuid()::text, 'training-job-bench-' || g,"
                  + "  CASE WHEN r < 0.70 THEN 'succeeded' WHEN r < 0.85 THEN 'failed'"
                  + "   WHEN r < 0.93 THEN 'cancelled' WHEN r < 0.98 THEN 'running'"
                  + "   WHEN r < 0.99 THEN 'queued' ELSE 'pending' END,"
                  + "  'ultralytics', "
                  + modelArray
                  // model 8 is rare (0.5 %); the others share the rest
                  + (models.length == 1
                      ? "[1],"
                      : "[CASE WHEN m < 0.005 THEN 8 ELSE 1 + (g % 7) END],")
                  + "  'coco128', 10, 16, 0.01,"
                  + (project != null
                      ? "  '" + project + "',"
                      : "  'proj-' || lpad((1 + floor(p * p * 20))::int::text, 2, '0'),")
                  + "  '{\"imgsz\": 640, \"optimizer\": \"SGD\"}', 600, 900, 86400, 60,"
                  + "  10, 100, '{\"mAP50\": 0.61, \"loss\": 0.42}', 'benchkey0001',"
                  + "  now() - make_interval(secs => g)"
                  + " FROM (SELECT g, random() AS r, random() AS p, random() AS m"
                  + "       FROM generate_series(1, ?) g) s",
              count);
          h.execute("ANALYZE training_jobs");
        });
  }

  static void insertMetrics(Jdbi jdbi, long jobId, int points) {
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO training_metrics (job_id, epoch, step, metrics)"
                    + " SELECT ?, n / 100, n, jsonb_build_object('loss', 1.0 / n,"
                    + " 'mAP50', n::float / ?, 'lr', 0.01)"
                    + " FROM generate_series(1, ?) n",
                jobId,
                points,
                points));
  }

  /** A trace id from the middle of the table. */
  static String sampleTrace(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT trace_id FROM training_jobs"
                        + " ORDER BY id OFFSET (SELECT count(*) / 2 FROM training_jobs) LIMIT 1")
                .mapTo(String.class)
                .one());
  }

  static long sampleId(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT min(id) + (max(id) - min(id)) / 3 FROM training_jobs")
                .mapTo(Long.class)
                .one());
  }

  /** Removes what V6 adds, to measure the list without it. */
  static void dropListIndexes(Jdbi jdbi) {
    jdbi.useHandle(
        h -> {
          for (String index :
              h.createQuery(
                      "SELECT indexname FROM pg_indexes WHERE tablename = 'training_jobs'"
                          + " AND indexname LIKE 'training_jobs_list_%'")
                  .mapTo(String.class)
                  .list()) {
            h.execute("DROP INDEX " + index);
          }
        });
  }
}
