package dev.trainyard.app.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.app.dev.TrainerFrameworks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a module of the trainer venv's Python (pytest, ruff) in a folder of the checkout. A missing
 * venv fails the test with the command that creates it.
 */
final class TrainerPython {
  record Result(int exitCode, String output) {}

  private TrainerPython() {}

  static Result run(Path directory, String module, String... arguments) throws Exception {
    Path python = TrainerFrameworks.python(System.getenv());
    assertThat(Files.isExecutable(python))
        .withFailMessage(
            "the trainer venv is missing: %s. Create it with: trainer-ultralytics/install-venv.sh"
                + " ~/.cache/trainyard/venv trainer-ultralytics/requirements-test.txt (or set %s)",
            python, TrainerFrameworks.PYTHON_ENV)
        .isTrue();
    List<String> command = new ArrayList<>(List.of(python.toString(), "-m", module));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes(); // ends when the process closes it
    boolean finished = process.waitFor(10, TimeUnit.MINUTES);
    String text = new String(output, StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(finished).as("%s finished within 10 minutes", module).isTrue();
    return new Result(process.exitValue(), text);
  }

  /** The checkout's root: the folder above the working directory that holds trainer-ultralytics. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("trainer-ultralytics/train.py"))) {
        return dir;
      }
    }
    throw new AssertionError(
        "trainer-ultralytics/train.py not found above " + Path.of("").toAbsolutePath());
  }
}
