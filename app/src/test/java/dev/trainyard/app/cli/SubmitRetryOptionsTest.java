package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code trainyard submit}'s retry flags become the submit's {@code retry} object, and only them.
 */
class SubmitRetryOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(String... retryArguments) {
    SubmitCommand command = new SubmitCommand();
    String[] required = {"--framework", "ultralytics", "--model", "yolo11n", "--dataset", "shapes"};
    String[] all = new String[required.length + retryArguments.length];
    System.arraycopy(required, 0, all, 0, required.length);
    System.arraycopy(retryArguments, 0, all, required.length, retryArguments.length);
    new CommandLine(command).parseArgs(all);
    return command.body(JSON, "demo");
  }

  @Test
  void retryFlagsFillTheRetryObjectWithWhatWasGiven() {
    JsonNode body =
        body(
            "--max-attempts",
            "3",
            "--retry-on",
            "oom_killed,preempted",
            "--retry-backoff",
            "30",
            "--checkpoint-every",
            "2");

    assertThat(body.path("retry").path("max_attempts").asInt()).isEqualTo(3);
    assertThat(body.path("retry").path("retry_on").toString())
        .isEqualTo("[\"oom_killed\",\"preempted\"]");
    assertThat(body.path("retry").path("backoff_seconds").asInt()).isEqualTo(30);
    assertThat(body.path("retry").size()).isEqualTo(3);
    assertThat(body.path("checkpoint_every_epochs").asInt()).isEqualTo(2);
  }

  @Test
  void withoutRetryFlagsTheApiDefaultsApply() {
    JsonNode body = body();

    assertThat(body.has("retry")).isFalse();
    assertThat(body.has("checkpoint_every_epochs")).isFalse();
  }
}
