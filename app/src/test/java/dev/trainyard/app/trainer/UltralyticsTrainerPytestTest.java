package dev.trainyard.app.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.app.dev.TrainerFrameworks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs trainer-ultralytics' own pytest suite (callback client against a local HTTP server, storage
 * against an S3-protocol server, dataset safety, real tiny trainings) from the Maven build, with
 * the trainer venv's Python. A missing venv fails the build with the command that creates it.
 */
class UltralyticsTrainerPytestTest {
  @Test
  void theTrainersPytestSuitePasses() throws Exception {
    Path python = TrainerFrameworks.python(System.getenv());
    assertThat(Files.isExecutable(python))
        .withFailMessage("the trainer venv is missing: %s. Create it with: python3 -m venv"
            + " ~/.cache/trainyard/venv && ~/.cache/trainyard/venv/bin/pip install -r"
            + " trainer-ultralytics/requirements-test.txt (or set %s)", python, TrainerFrameworks.PYTHON_ENV)
        .isTrue();
    Path trainer = trainerDirectory();
    Process pytest = new ProcessBuilder(python.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
        .directory(trainer.toFile())
        .redirectErrorStream(true)
        .start();
    byte[] output = pytest.getInputStream().readAllBytes(); // ends when pytest closes its output
    boolean finished = pytest.waitFor(10, TimeUnit.MINUTES);
    String text = new String(output, StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(finished).as("pytest finished within 10 minutes").isTrue();
    assertThat(pytest.exitValue()).as("pytest exit code; its output:%n%s", text).isZero();
    assertThat(text).containsPattern("\\d+ passed");
  }

  private static Path trainerDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("trainer-ultralytics/train.py"))) {
        return dir.resolve("trainer-ultralytics");
      }
    }
    throw new AssertionError("trainer-ultralytics/train.py not found above " + Path.of("").toAbsolutePath());
  }
}
