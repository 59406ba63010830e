package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * schemathesis against the live dev stack, from the stack's own {@code /openapi.json}, with the
 * stack's admin key: no reply may be a server error, nor differ from the description (status code,
 * content type, body schema). Fuzzing creates projects, keys and jobs in a throwaway data
 * directory. The seed is fixed so a failure in CI is reproducible; run it by hand with another
 * (docs/openapi.md) to explore further.
 */
class OpenApiConformanceTest {
  /** Cases per operation and phase: about a minute and a half on two cores for all routes. */
  private static final int MAX_EXAMPLES = 25;

  private static final long TIMEOUT_MINUTES = 4;

  @TempDir static Path dataDirectory;
  static DevStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyReplyMatchesTheDescriptionAndNoneIsAServerError() throws Exception {
    Path schemathesis = schemathesis();
    Path report = Path.of("target", "schemathesis").toAbsolutePath();
    Files.createDirectories(report);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            schemathesis.toString(),
            "run",
            stack.apiUrl() + "/openapi.json",
            "--header",
            "Authorization: Bearer " + stack.adminKey(),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
                + "response_schema_conformance",
            "--max-examples",
            Integer.toString(MAX_EXAMPLES),
            "--seed",
            System.getProperty("schemathesis.seed", "14"),
            // the live streams never end while their job (or the list) lives: a case would only
            // wait out its timeout; their refusals are the same layers' as every other route's
            "--exclude-path-regex",
            "/stream$",
            "--workers",
            "2",
            // a followed log streams until its job ends: no case may wait on one that long
            "--request-timeout",
            "20",
            "--generation-database",
            "none",
            "--no-color",
            "--output-sanitize",
            "true",
            "--report",
            "junit",
            "--report-dir",
            report.toString()));
    Path output = report.resolve("output.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(report.toFile()) // where it keeps its cache of past failures
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(log); // schemathesis's report, in the build log either way
    assertThat(finished).as("schemathesis finished within %d minutes", TIMEOUT_MINUTES).isTrue();
    assertThat(process.exitValue()).as("schemathesis exit code (its report is above)").isZero();
    assertThat(log).as("schemathesis tested the operations").contains("operations");
  }

  /** schemathesis from the trainer venv, which requirements-test.txt pins it into. */
  private static Path schemathesis() {
    Path python = TrainerFrameworks.python(System.getenv());
    Path schemathesis = python.resolveSibling("schemathesis");
    assertThat(Files.isExecutable(schemathesis))
        .withFailMessage(
            "schemathesis is missing: %s. Install the test venv: trainer-ultralytics/install-venv.sh"
                + " ~/.cache/trainyard/venv trainer-ultralytics/requirements-test.txt (or set %s)",
            schemathesis, TrainerFrameworks.PYTHON_ENV)
        .isTrue();
    return schemathesis;
  }
}
