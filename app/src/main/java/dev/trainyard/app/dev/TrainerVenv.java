package dev.trainyard.app.dev;

import dev.trainyard.app.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real trainer's Python environment (Ultralytics with torch, about 3 GB), installed on first
 * use by {@code trainer-ultralytics/install-venv.sh} and only by what trains YOLO: a scripted demo
 * or a dev stack must not wait for a download it does not use.
 */
final class TrainerVenv {
  static final Path INSTALLER = Path.of("trainer-ultralytics", "install-venv.sh");

  private TrainerVenv() {}

  /**
   * Installs the venv where {@link TrainerFrameworks#python} expects it, a no-op once done (the
   * script compares a stamp of the pinned requirements). A Python the user named with {@value
   * TrainerFrameworks#PYTHON_ENV} is theirs: it is used as it is, never installed into.
   */
  static void ensure(Map<String, String> env) throws IOException, InterruptedException {
    String configured = env.get(TrainerFrameworks.PYTHON_ENV);
    if (configured != null && !configured.isBlank()) {
      return;
    }
    Path installer =
        RepositoryRoot.locate(env, Path.of(""))
            .map(root -> root.resolve(INSTALLER))
            .filter(Files::isRegularFile)
            .orElseThrow(
                () ->
                    new StartupException(
                        "cannot find "
                            + INSTALLER
                            + " to install the trainer's Python: run from the Trainyard checkout"
                            + " (or set "
                            + RepositoryRoot.HOME_ENV
                            + "), or set "
                            + TrainerFrameworks.PYTHON_ENV
                            + " to a Python with ultralytics, boto3 and mlflow-skinny"));
    // Into the folder this JVM will run the trainer from; its progress goes to stderr, as the
    // launcher's own messages do (stdout is the demo's story).
    Path venv = TrainerFrameworks.python(env).getParent().getParent();
    Process process =
        new ProcessBuilder(
                "bash", "-c", "exec \"$0\" \"$1\" >&2", installer.toString(), venv.toString())
            .inheritIO()
            .start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new StartupException(
          installer
              + " failed (exit "
              + exit
              + "); its output is above. Rerun it by hand to retry, or set "
              + TrainerFrameworks.PYTHON_ENV
              + " to a Python with ultralytics, boto3 and mlflow-skinny; --framework scripted needs"
              + " none of it");
    }
  }
}
