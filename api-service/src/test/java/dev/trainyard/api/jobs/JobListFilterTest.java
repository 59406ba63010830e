package dev.trainyard.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.Role;
import dev.trainyard.store.jobs.JobDao;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs?status=&project=&model=&q=}: each filter, their combinations, bad values, and
 * that the SQL shows exactly the jobs {@link JobFilter#matches} accepts. Rows are inserted directly
 * (no workflow needed to be listed), with models of this class's own so other tests' jobs stay out
 * of the exact checks.
 */
class JobListFilterTest extends ApiTest {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL_A = "lf-" + RUN + "-a.pt";
  private static final String MODEL_B = "lf-" + RUN + "-b.pt";

  private static long runningA1;
  private static long failedA2;
  private static long runningB1;
  private static long upperTrace;
  private static long digitsTrace;
  private static String runningA1Trace;

  @BeforeAll
  static void insertJobs() {
    runningA1Trace = UUID.randomUUID().toString();
    runningA1 = insertJob("running", "proj-1", MODEL_A, runningA1Trace);
    failedA2 = insertJob("failed", "proj-2", MODEL_A, UUID.randomUUID().toString());
    runningB1 = insertJob("running", "proj-1", MODEL_B, UUID.randomUUID().toString());
    // a trace id written in capitals (another tracer's), and one that starts with a job's id
    upperTrace = insertJob("succeeded", "proj-2", MODEL_B, "ABCDEF-" + RUN.toUpperCase());
    digitsTrace = insertJob("queued", "proj-1", MODEL_B, runningA1 + "-" + UUID.randomUUID());
  }

  @Test
  void modelIsExact() {
    assertThat(listed("model=" + MODEL_A)).containsExactly(failedA2, runningA1);
    assertThat(listed("model=" + MODEL_B)).containsExactly(digitsTrace, upperTrace, runningB1);
    assertThat(listed("model=lf-" + RUN)).isEmpty();
  }

  @Test
  void qIsTheJobIdOrTheStartOfATraceIdInAnyCase() {
    assertThat(listed("model=" + MODEL_B + "&q=abcdef-" + RUN)).containsExactly(upperTrace);
    assertThat(listed("model=" + MODEL_B + "&q=ABCD")).containsExactly(upperTrace);
    assertThat(listed("q=" + runningA1Trace.substring(0, 13).toUpperCase()))
        .containsExactly(runningA1);
    // digits name a job by id and also start a trace id
    assertThat(listed("q=" + runningA1)).contains(runningA1, digitsTrace);
    assertThat(listed("q=" + runningA1 + "-")).containsExactly(digitsTrace);
    // the middle of a trace id is no match
    assertThat(listed("q=" + runningA1Trace.substring(9, 20))).isEmpty();
    assertThat(listed("q=999999999999")).isEmpty();
  }

  @Test
  void filtersCombineWithStatusProjectAndPaging() {
    assertThat(listed("model=" + MODEL_A + "&status=running")).containsExactly(runningA1);
    assertThat(listed("model=" + MODEL_B + "&project=proj-2")).containsExactly(upperTrace);
    assertThat(listed("model=" + MODEL_B + "&project=proj-1&status=queued"))
        .containsExactly(digitsTrace);
    assertThat(listed("model=" + MODEL_A + "&project=proj-1&status=failed")).isEmpty();

    JsonNode first = http().get("/v1/jobs?model=" + MODEL_B + "&limit=2").json();
    assertThat(ids(first.get("jobs"))).containsExactly(digitsTrace, upperTrace);
    long next = first.get("next_before").asLong();
    JsonNode second = http().get("/v1/jobs?model=" + MODEL_B + "&limit=2&before=" + next).json();
    assertThat(ids(second.get("jobs"))).containsExactly(runningB1);
    assertThat(second.get("next_before").isNull()).isTrue();
  }

  @Test
  void aProjectKeySeesItsOwnProjectAndNoOther() {
    String viewer =
        ApiKeys.issue(STACK.jdbi, "list filter viewer", "proj-2", Role.VIEWER, null, "test").key();
    Http asViewer = new Http(APP.getLocalPort(), viewer);

    assertThat(ids(asViewer.get("/v1/jobs?model=" + MODEL_A).json().get("jobs")))
        .containsExactly(failedA2);
    assertThat(ids(asViewer.get("/v1/jobs?model=" + MODEL_B + "&q=abcd").json().get("jobs")))
        .containsExactly(upperTrace);
    JsonNode other = asViewer.get("/v1/jobs?project=proj-1&model=" + MODEL_A).json();
    assertThat(other.get("jobs")).isEmpty();
    assertThat(other.get("next_before").isNull()).isTrue();
  }

  @Test
  void eachBadValueIs400NamingItsField() {
    assertThat(fieldError("status=done", "status")).startsWith("must be one of pending");
    assertThat(fieldError("project=Proj_1", "project")).startsWith("must be a project id");
    assertThat(fieldError("model=" + enc("yolo v8"), "model")).startsWith("must be a model name");
    assertThat(fieldError("model=" + "m".repeat(129), "model")).startsWith("must be a model name");
    // LIKE's wildcards never reach SQL: they are refused
    for (String q : List.of("%", "ab_c", "a%", "x".repeat(101), "a b", "ä", "1;2")) {
      assertThat(fieldError("q=" + enc(q), "q")).as(q).startsWith("must be a job id or the start");
    }
    assertThat(fieldError("q=abc&limit=0", "limit")).isEqualTo("must be between 1 and 500");
  }

  @Test
  void theSqlShowsExactlyTheJobsTheFilterMatches() {
    List<JobView> everyJob = everyJob();
    List<String> statuses = Arrays.asList(null, "running", "queued", "succeeded");
    List<String> projects = Arrays.asList(null, "proj-1", "proj-2");
    List<String> models = Arrays.asList(null, MODEL_A, MODEL_B);
    List<String> queries =
        Arrays.asList(
            null,
            String.valueOf(runningA1),
            String.valueOf(upperTrace),
            "abcdef",
            "ABC",
            runningA1Trace.substring(0, 4),
            runningA1Trace.substring(0, 4).toUpperCase(),
            "0",
            "zzz");
    int checked = 0;
    for (String status : statuses) {
      for (String project : projects) {
        for (String model : models) {
          for (String q : queries) {
            JobFilter filter = JobFilter.parse(status, project, model, q);
            List<Long> expected =
                everyJob.stream().filter(filter::matches).map(JobView::jobId).toList();
            assertThat(listedAll(status, project, model, q))
                .as(filter.toString())
                .isEqualTo(expected);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(4 * 3 * 3 * 9);
  }

  /** Every job in the database as the API shows it, newest first. */
  private static List<JobView> everyJob() {
    JsonText json = new JsonText(new ObjectMapper());
    JobDao jobs = STACK.jdbi.onDemand(JobDao.class);
    List<Long> ids =
        STACK.jdbi.withHandle(
            h ->
                h.createQuery("SELECT id FROM training_jobs ORDER BY id DESC")
                    .mapTo(Long.class)
                    .list());
    return ids.stream().map(id -> JobView.of(jobs.findById(id).orElseThrow(), json)).toList();
  }

  /** Every page of the list for this filter, in order. */
  private static List<Long> listedAll(String status, String project, String model, String q) {
    StringBuilder base = new StringBuilder("/v1/jobs?limit=100");
    addParam(base, "status", status);
    addParam(base, "project", project);
    addParam(base, "model", model);
    addParam(base, "q", q);
    List<Long> ids = new ArrayList<>();
    String path = base.toString();
    while (true) {
      Http.Reply reply = http().get(path);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      JsonNode page = reply.json();
      ids.addAll(ids(page.get("jobs")));
      if (page.get("next_before").isNull()) {
        return ids;
      }
      path = base + "&before=" + page.get("next_before").asLong();
    }
  }

  private static void addParam(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append('&').append(name).append('=').append(enc(value));
    }
  }

  private static List<Long> listed(String query) {
    Http.Reply reply = http().get("/v1/jobs?limit=500&" + query);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return ids(reply.json().get("jobs"));
  }

  private static String fieldError(String query, String field) {
    JsonNode problem = assertProblem(http().get("/v1/jobs?" + query), 400);
    assertThat(problem.get("errors").has(field)).as(problem.toString()).isTrue();
    return problem.get("errors").get(field).asText();
  }

  private static long insertJob(String status, String project, String model, String traceId) {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery(
                    "INSERT INTO training_jobs (trace_id, workflow_id, status, framework,"
                        + " model_name, dataset_id, epochs, batch_size, learning_rate, project_id,"
                        + " heartbeat_timeout_seconds, startup_timeout_seconds,"
                        + " max_runtime_seconds, cancel_grace_seconds)"
                        + " VALUES (:trace, 'wf-' || :trace, :status, 'ultralytics', :model,"
                        + " 'coco128', 3, 16, 0.01, :project, 600, 900, 3600, 60) RETURNING id")
                .bind("trace", traceId)
                .bind("status", status)
                .bind("model", model)
                .bind("project", project)
                .mapTo(Long.class)
                .one());
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<Long> ids(JsonNode jobs) {
    List<Long> ids = new ArrayList<>();
    jobs.forEach(job -> ids.add(job.get("job_id").asLong()));
    return ids;
  }
}
