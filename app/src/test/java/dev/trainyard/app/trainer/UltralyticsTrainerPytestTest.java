package dev.trainyard.app.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs trainer-ultralytics' own pytest suite (callback client against a local HTTP server, storage
 * against an S3-protocol server, dataset safety, real tiny trainings) from the Maven build, with
 * the trainer venv's Python.
 */
class UltralyticsTrainerPytestTest {
  @Test
  void theTrainersPytestSuitePasses() throws Exception {
    TrainerPython.Result pytest =
        TrainerPython.run(
            TrainerPython.repositoryRoot().resolve("trainer-ultralytics"),
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests");
    assertThat(pytest.exitCode()).as("pytest exit code; its output:%n%s", pytest.output()).isZero();
    assertThat(pytest.output()).containsPattern("\\d+ passed");
  }
}
