package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import dev.trainyard.workflows.messages.TrainerDone;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trainer's done error becomes the job's error_message as one bounded line (issue 12, item 8):
 * whatever a trainer sends, users see no traceback and no file system paths from its stack.
 */
class DoneErrorMessageTest extends ApiTest {
  private static final String TRACEBACK =
      "Traceback (most recent call last):\n"
          + "  File \"/opt/trainer/trainyard_trainer/main.py\", line 88, in main\n"
          + "    outcome = TrainingJob(cfg, client, heartbeat, mlflow_run, stop, work_dir).run()\n"
          + "  File \"/opt/trainer/trainyard_trainer/job.py\", line 112, in _dataset\n"
          + "    raise FileNotFoundError(\"dataset demo-shapes not found\")\n"
          + "FileNotFoundError: dataset demo-shapes not found\n";

  private long jobId;
  private String traceId;

  @BeforeEach
  void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
  }

  private Http.Reply failedDone(String error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("trace_id", traceId);
    body.put("status", "failed");
    body.put("error", error);
    return http()
        .post(
            "/v1/jobs/" + jobId + "/done",
            Http.json(body),
            "Authorization",
            Tokens.bearer(Tokens.valid(jobId)));
  }

  private String errorMessage() {
    return http().get("/v1/jobs/" + jobId).json().get("error_message").asText();
  }

  @Test
  void aPythonTracebackBecomesItsExceptionLine() {
    assertThat(failedDone(TRACEBACK).status()).isEqualTo(200);

    assertThat(errorMessage()).isEqualTo("FileNotFoundError: dataset demo-shapes not found");
    TrainerDone signal = (TrainerDone) awaitSignals(jobId, 1).get(0);
    assertThat(signal.error()).isEqualTo("FileNotFoundError: dataset demo-shapes not found");
  }

  @Test
  void anyOtherErrorKeepsItsFirstLineCutToTheBound() {
    String error = "x".repeat(5_000) + "\nsecond line /home/trainer/secret/path";

    assertThat(failedDone(error).status()).isEqualTo(200);

    assertThat(errorMessage())
        .hasSize(1_000 + 1) // TrainerErrorMessage.MAX_CHARS and the ellipsis
        .startsWith("xxx")
        .endsWith("…")
        .doesNotContain("/home/trainer");
  }
}
