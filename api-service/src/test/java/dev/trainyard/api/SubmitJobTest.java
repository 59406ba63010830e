package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.ModelNames;
import dev.trainyard.api.support.RecordingWorkflow;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import dev.trainyard.workflows.JobSearchAttributes;
import dev.trainyard.workflows.messages.JobSpec;
import io.temporal.common.SearchAttributes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubmitJobTest extends ApiTest {

  @Test
  void submitRecordsPendingJobAndStartsItsWorkflow() {
    Http.Reply reply = http().post("/v1/jobs", Http.json(validJob()));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    JsonNode body = reply.json();
    long id = body.get("job_id").asLong();
    assertThat(body.get("status").asText()).isEqualTo("pending");
    assertThat(body.get("workflow_id").asText()).isEqualTo("training-job-" + id);
    String traceId = body.get("trace_id").asText();
    assertThat(UUID.fromString(traceId)).isNotNull();

    JsonNode job = http().get("/v1/jobs/" + id).json();
    assertThat(job.get("heartbeat_timeout_seconds").asLong()).isEqualTo(600);
    assertThat(job.get("startup_timeout_seconds").asLong()).isEqualTo(900);
    assertThat(job.get("max_runtime_seconds").asLong()).isEqualTo(86400);
    assertThat(job.get("cancel_grace_seconds").asLong()).isEqualTo(60);

    awaitStarted(id);
    JobSpec spec = RecordingWorkflow.STARTED.get("training-job-" + id).spec();
    assertThat(spec.jobId()).isEqualTo(id);
    assertThat(spec.traceId()).isEqualTo(traceId);
    assertThat(spec.submitted().modelName()).isEqualTo("yolov8n.pt");
    assertThat(spec.submitted().epochs()).isEqualTo(3);
    assertThat(spec.submitted().hyperparameters())
        .containsEntry("imgsz", 640)
        .containsEntry("optimizer", "SGD");
    assertThat(spec.submitted().timeouts().heartbeatTimeoutSeconds()).isEqualTo(600);
    SearchAttributes attributes = RecordingWorkflow.ATTRIBUTES.get("training-job-" + id);
    assertThat(attributes.get(JobSearchAttributes.JOB_ID)).isEqualTo(id);
    assertThat(attributes.get(JobSearchAttributes.TRACE_ID)).isEqualTo(traceId);
    assertThat(attributes.get(JobSearchAttributes.MODEL)).isEqualTo("yolov8n.pt");
    assertThat(attributes.get(JobSearchAttributes.DATASET)).isEqualTo("coco128");
    assertThat(attributes.get(JobSearchAttributes.STATUS)).isEqualTo("pending");
  }

  @Test
  void explicitTimeoutsAreKept() {
    Map<String, Object> job = validJob();
    job.put("heartbeat_timeout_seconds", 30);
    job.put("cancel_grace_seconds", 0);
    long id = http().post("/v1/jobs", Http.json(job)).json().get("job_id").asLong();
    awaitStarted(id);
    assertThat(
            RecordingWorkflow.STARTED
                .get("training-job-" + id)
                .spec()
                .submitted()
                .timeouts()
                .heartbeatTimeoutSeconds())
        .isEqualTo(30);
    assertThat(http().get("/v1/jobs/" + id).json().get("cancel_grace_seconds").asLong()).isZero();
  }

  @Test
  void aFrameworkNoWorkerServesIsRefusedNamingTheKnownOnes() {
    long before = count("training_jobs");
    Map<String, Object> job = validJob();
    job.put("framework", "yolov8-typo");

    JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(job)), 400);

    assertThat(problem.path("errors").path("framework").asText())
        .contains("no trainer")
        .endsWith("known frameworks: [\"scripted\",\"ultralytics\"]");
    assertThat(problem.get("detail").asText()).startsWith("framework ");
    assertThat(count("training_jobs")).isEqualTo(before);
  }

  @Test
  void aFrameworkIsAcceptedAsSoonAsAWorkerRegistersIt() {
    TrainerFrameworkDao frameworks = STACK.jdbi.onDemand(TrainerFrameworkDao.class);
    Map<String, Object> job = validJob();
    job.put("framework", "pytorch-lightning");
    assertProblem(http().post("/v1/jobs", Http.json(job)), 400);
    try {
      frameworks.replace("lightning-worker", List.of("pytorch-lightning"));

      Http.Reply reply = http().post("/v1/jobs", Http.json(job));

      assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
      // waited for, so that its start does not land in another test's counts
      awaitStarted(reply.json().get("job_id").asLong());
    } finally {
      frameworks.forget("lightning-worker");
    }
  }

  @Test
  void aWorkerThatStoppedRefreshingLongAgoNoLongerCounts() {
    TrainerFrameworkDao frameworks = STACK.jdbi.onDemand(TrainerFrameworkDao.class);
    frameworks.replace("departed-worker", List.of("jax"));
    STACK.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE trainer_frameworks SET seen_at = now() - interval '2 hours'"
                    + " WHERE worker_id = 'departed-worker'"));
    try {
      Map<String, Object> job = validJob();
      job.put("framework", "jax");

      JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(job)), 400);

      assertThat(problem.path("errors").path("framework").asText())
          .endsWith("[\"scripted\",\"ultralytics\"]");
      assertThat(TestStack.FRAMEWORKS).doesNotContain("jax");
    } finally {
      frameworks.forget("departed-worker");
    }
  }

  static Stream<Arguments> invalidFields() {
    Map<String, Object> tooMany = new HashMap<>();
    IntStream.range(0, 65).forEach(i -> tooMany.put("k" + i, i));
    return Stream.of(
        Arguments.of("framework", null, "is required"),
        Arguments.of("framework", "Ultra Lytics", "must match [a-z0-9_-]{1,32}"),
        Arguments.of("framework", "x".repeat(33), "must match [a-z0-9_-]{1,32}"),
        Arguments.of("model_name", null, "is required"),
        Arguments.of(
            "model_name",
            "yolo/../v8",
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)"),
        Arguments.of("model_name", "yolo..v8", "must not contain '..'"),
        Arguments.of(
            "model_name",
            "m".repeat(129),
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)"),
        Arguments.of("dataset_id", null, "is required"),
        Arguments.of(
            "dataset_id",
            ".hidden",
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)"),
        Arguments.of(
            "dataset_id",
            "a/b",
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)"),
        Arguments.of("dataset_id", "a..b", "must not contain '..'"),
        Arguments.of("project_id", null, "is required"),
        Arguments.of("project_id", "p..q", "must not contain '..'"),
        Arguments.of(
            "project_id",
            "p".repeat(129),
            "must start with a letter or digit and contain only letters, digits, '.', '_' or '-' (at most 128)"),
        Arguments.of("epochs", null, "is required"),
        Arguments.of("epochs", 0, "must be at least 1"),
        Arguments.of("epochs", 10001, "must be at most 10000"),
        Arguments.of("batch_size", 0, "must be at least 1"),
        Arguments.of("batch_size", 4097, "must be at most 4096"),
        Arguments.of("learning_rate", null, "is required"),
        Arguments.of("learning_rate", 0, "must be greater than 0"),
        Arguments.of("learning_rate", -0.1, "must be greater than 0"),
        Arguments.of("learning_rate", 10.5, "must be at most 10"),
        Arguments.of("hyperparameters", tooMany, "must have at most 64 keys"),
        Arguments.of("hyperparameters", Map.of("a", "x\0y"), "must not contain NUL characters"),
        Arguments.of("heartbeat_timeout_seconds", 0, "must be at least 1"),
        Arguments.of("heartbeat_timeout_seconds", 86401, "must be at most 86400"),
        Arguments.of("startup_timeout_seconds", 0, "must be at least 1"),
        Arguments.of("startup_timeout_seconds", 86401, "must be at most 86400"),
        Arguments.of("max_runtime_seconds", 0, "must be at least 1"),
        Arguments.of("max_runtime_seconds", 2592001, "must be at most 2592000"),
        Arguments.of("cancel_grace_seconds", -1, "must be at least 0"),
        Arguments.of("cancel_grace_seconds", 3601, "must be at most 3600"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidFields")
  void eachRuleIsReportedForItsField(String field, Object value, String reason) {
    Map<String, Object> job = validJob();
    if (value == null) {
      job.remove(field);
    } else {
      job.put(field, value);
    }
    assertRejectedWithoutTrace(() -> http().post("/v1/jobs", Http.json(job)), 400, field, reason);
  }

  static Stream<Arguments> modelNamesTheTrainerRefuses() {
    return ModelNames.refused().stream().map(e -> Arguments.of(e.getValue(), e.getKey()));
  }

  /** What the trainer would refuse at start is refused at submit, not after a pod is scheduled. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modelNamesTheTrainerRefuses")
  void modelNamesTheTrainerRefusesAreRefusedAtSubmit(String why, String name) {
    Map<String, Object> job = validJob();
    job.put("model_name", name);
    Http.Reply reply = http().post("/v1/jobs", Http.json(job));
    JsonNode problem = assertProblem(reply, 400);
    assertThat(problem.path("errors").has("model_name")).as(reply.toString()).isTrue();
  }

  static Stream<String> modelNamesTheTrainerAccepts() {
    return ModelNames.accepted().stream();
  }

  @ParameterizedTest
  @MethodSource("modelNamesTheTrainerAccepts")
  void modelNamesTheTrainerAcceptsAreAccepted(String name) {
    Map<String, Object> job = validJob();
    job.put("model_name", name);
    Http.Reply reply = http().post("/v1/jobs", Http.json(job));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    Map<String, Object> job = validJob();
    job.put("epochs", 0);
    job.put("batch_size", 0);
    job.remove("framework");
    JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(job)), 400);
    assertThat(problem.get("errors").size()).isEqualTo(3);
    assertThat(problem.get("detail").asText()).isEqualTo("framework is required (and 2 more)");
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of("epochs", "\"5\"", "must be an integer"),
        Arguments.of("epochs", "2.5", "must be an integer"),
        Arguments.of("epochs", "true", "must be an integer"),
        Arguments.of("epochs", "99999999999", "is out of range"),
        Arguments.of("learning_rate", "\"0.1\"", "must be a number"),
        Arguments.of("framework", "5", "must be a string"),
        Arguments.of("model_name", "{}", "must be a string"),
        Arguments.of("hyperparameters", "[1,2]", "must be a JSON object"),
        Arguments.of("max_runtime_seconds", "\"1h\"", "must be an integer"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("wrongTypes")
  void wrongTypesNameTheField(String field, String rawValue, String reason) {
    Map<String, Object> rest = validJob();
    rest.remove(field);
    String body = Http.json(rest).replaceFirst("\\{", "{\"" + field + "\":" + rawValue + ",");
    assertRejectedWithoutTrace(() -> http().post("/v1/jobs", body), 400, field, reason);
  }

  @Test
  void unknownFieldIsRejected() {
    Map<String, Object> job = validJob();
    job.put("gpu_count", 8);
    assertRejectedWithoutTrace(
        () -> http().post("/v1/jobs", Http.json(job)), 400, "gpu_count", "is not a known field");
  }

  @Test
  void malformedAndNonObjectBodiesAreRejected() {
    long jobs = count("training_jobs");
    for (String body :
        new String[] {"{\"framework\": ", "{not json}", "", "null", "[]", "42", "{} {}"}) {
      JsonNode problem = assertProblem(http().post("/v1/jobs", body), 400);
      assertThat(problem.has("errors")).as(body).isFalse();
    }
    assertThat(problem(http().post("/v1/jobs", "{\"framework\": ")).get("detail").asText())
        .startsWith("malformed JSON");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void wrongContentTypeIs415() {
    Http.Reply reply = http().post("/v1/jobs", Http.json(validJob()), "Content-Type", "text/plain");
    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.contentType()).startsWith("application/problem+json");
  }

  @Test
  void bodyOverTheLimitIs413WithContentLength() {
    long jobs = count("training_jobs");
    Map<String, Object> job = validJob();
    job.put("hyperparameters", Map.of("padding", "x".repeat(1024 * 1024)));
    JsonNode problem = assertProblem(http().post("/v1/jobs", Http.json(job)), 413);
    assertThat(problem.get("detail").asText()).contains("1048576");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    long jobs = count("training_jobs");
    Map<String, Object> job = validJob();
    job.put("hyperparameters", Map.of("padding", "x".repeat(1024 * 1024 + 10)));
    byte[] body = Http.json(job).getBytes(StandardCharsets.UTF_8);
    assertProblem(http().postChunked("/v1/jobs", body), 413);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void chunkedBodyUnderTheLimitIsAccepted() {
    byte[] body = Http.json(validJob()).getBytes(StandardCharsets.UTF_8);
    assertThat(http().postChunked("/v1/jobs", body).status()).isEqualTo(201);
  }

  @Test
  void sameIdempotencyKeyReturnsTheSameJob() {
    String key = "retry-" + UUID.randomUUID();
    Http.Reply first = http().post("/v1/jobs", Http.json(validJob()), "Idempotency-Key", key);
    Http.Reply second = http().post("/v1/jobs", Http.json(validJob()), "Idempotency-Key", key);

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    assertThat(second.json().get("job_id")).isEqualTo(first.json().get("job_id"));
    assertThat(second.json().get("trace_id")).isEqualTo(first.json().get("trace_id"));
    long jobs = count("training_jobs");
    http().post("/v1/jobs", Http.json(validJob()), "Idempotency-Key", key);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void sameIdempotencyKeyWithADifferentBodyIs409() {
    String key = "retry-" + UUID.randomUUID();
    JsonNode first = http().post("/v1/jobs", Http.json(validJob()), "Idempotency-Key", key).json();
    long jobs = count("training_jobs");
    Map<String, Object> other = validJob();
    other.put("epochs", 4);

    JsonNode problem =
        assertProblem(http().post("/v1/jobs", Http.json(other), "Idempotency-Key", key), 409);

    assertThat(problem.get("detail").asText()).contains("Idempotency-Key");
    assertThat(count("training_jobs")).isEqualTo(jobs);
    assertThat(http().get("/v1/jobs/" + first.get("job_id").asLong()).json().get("epochs").asInt())
        .isEqualTo(3);
  }

  @Test
  void overlongIdempotencyKeyIsRejected() {
    long jobs = count("training_jobs");
    JsonNode problem =
        assertProblem(
            http().post("/v1/jobs", Http.json(validJob()), "Idempotency-Key", "k".repeat(129)),
            400);
    assertThat(problem.get("errors").get("Idempotency-Key").asText())
        .isEqualTo("must be 1 to 128 characters");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  private static JsonNode problem(Http.Reply reply) {
    return reply.json();
  }

  private static void assertRejectedWithoutTrace(
      Supplier<Http.Reply> call, int status, String field, String reason) {
    long jobsBefore = count("training_jobs");
    long lastJobBefore = lastJobId();
    Http.Reply reply = call.get();
    JsonNode problem = assertProblem(reply, status);
    assertThat(problem.get("errors").get(field).asText()).as(reply.toString()).isEqualTo(reason);
    assertThat(problem.get("detail").asText()).startsWith(field + " ");
    assertThat(count("training_jobs")).isEqualTo(jobsBefore);
    // Earlier tests' workflows may still be reaching the worker, so counting STARTED races; a
    // workflow for this request would carry a job id that did not exist before it.
    assertThat(RecordingWorkflow.STARTED.keySet())
        .noneMatch(workflowId -> jobIdOf(workflowId) > lastJobBefore);
  }

  private static long lastJobId() {
    return STACK.jdbi.withHandle(
        h ->
            h.createQuery("SELECT coalesce(max(id), 0) FROM training_jobs")
                .mapTo(Long.class)
                .one());
  }

  private static long jobIdOf(String workflowId) {
    return Long.parseLong(workflowId.substring(workflowId.lastIndexOf('-') + 1));
  }
}
