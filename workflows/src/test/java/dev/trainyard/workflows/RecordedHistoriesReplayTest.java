package dev.trainyard.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guard for running jobs: every history committed under {@code src/test/resources/histories}
 * was recorded by an earlier version of the workflow ({@link HistoryRecorder}), and the current
 * {@link TrainingJobWorkflowImpl} must replay each one command for command. A change that would
 * break a running workflow (a command added, removed or reordered outside {@code
 * Workflow.getVersion}) fails here with a non-deterministic error. See docs/workflow-versioning.md.
 */
class RecordedHistoriesReplayTest {
  /** Every way a job can end; each must have been recorded at least once. */
  private static final List<String> SCENARIOS =
      List.of(
          "succeeded",
          "trainer-reported-failure",
          "cancelled-within-grace",
          "cancel-forced",
          "cancelled-while-queued",
          "startup-timeout",
          "heartbeat-timeout",
          "heartbeat-timeout-after-unsignalled-heartbeats",
          "deadline-exceeded",
          "trainer-exited",
          "launch-failed",
          "workflow-cancelled",
          "continue-as-new-run-1",
          "continue-as-new-run-2",
          "retried-then-succeeded",
          "cancelled-while-waiting-to-retry");

  /** Header and claims of a JWT, as a callback token would appear in clear text. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+");

  /** Payloads (inputs, results, signals) are base64 in a history's JSON. */
  private static final Pattern PAYLOAD_DATA = Pattern.compile("\"data\": \"([^\"]*)\"");

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replaysCommandForCommandOnTheCurrentWorkflow(String name) throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(name));

    try {
      WorkflowReplayer.replayWorkflowExecution(history, TrainingJobWorkflowImpl.class);
    } catch (RuntimeException e) {
      throw new AssertionError(
          name
              + " no longer replays: the workflow's commands changed without Workflow.getVersion"
              + " (docs/workflow-versioning.md)",
          e);
    }
  }

  /** Tokens are minted inside the launch activity and must never reach a history. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void carriesNoSecret(String name) throws IOException {
    String json = read(name);
    StringBuilder everything = new StringBuilder(json);
    Matcher payload = PAYLOAD_DATA.matcher(json);
    while (payload.find()) {
      String base64 = payload.group(1).replace("\\u003d", "=");
      everything
          .append('\n')
          .append(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
    }

    assertThat(everything.toString())
        .doesNotContainPattern(JWT)
        .doesNotContainIgnoringCase("bearer ")
        .doesNotContainIgnoringCase("token")
        .doesNotContainIgnoringCase("secret");
  }

  @Test
  void everyWayAJobEndsIsRecorded() throws IOException {
    List<String> recorded =
        histories().map(name -> Path.of(name).getFileName().toString()).toList();

    for (String scenario : SCENARIOS) {
      assertThat(recorded)
          .as("recorded histories")
          .anyMatch(file -> file.equals(scenario + ".json") || file.equals(scenario + ".json.gz"));
    }
  }

  static Stream<String> histories() throws IOException {
    Path root = root();
    try (Stream<Path> files = Files.walk(root)) {
      List<String> names =
          files
              .map(root::relativize)
              .map(Path::toString)
              .filter(f -> f.endsWith(".json") || f.endsWith(".json.gz"))
              .sorted()
              .toList();
      assertThat(names).as("committed histories").isNotEmpty();
      return names.stream();
    }
  }

  private static String read(String name) throws IOException {
    Path file = root().resolve(name);
    if (!name.endsWith(".gz")) {
      return Files.readString(file);
    }
    try (InputStream gzip = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path root() {
    URL histories =
        Objects.requireNonNull(
            RecordedHistoriesReplayTest.class.getResource("/histories"),
            "no histories on the test classpath");
    try {
      return Path.of(histories.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
