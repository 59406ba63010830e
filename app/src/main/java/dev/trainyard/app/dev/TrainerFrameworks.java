package dev.trainyard.app.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dev stack's trainer per framework: "ultralytics" runs the real YOLO trainer ({@code
 * trainer-ultralytics/train.py}) with the trainer venv's Python; every other framework ("scripted"
 * included) runs the configured default command, the scripted trainer unless overridden.
 */
public final class TrainerFrameworks {
  public static final String ULTRALYTICS = "ultralytics";

  /**
   * The Python that has ultralytics, boto3 and mlflow installed (see
   * trainer-ultralytics/README.md).
   */
  public static final String PYTHON_ENV = "TRAINYARD_TRAINER_PYTHON";

  static final Path ULTRALYTICS_TRAINER = Path.of("trainer-ultralytics", "train.py");

  private TrainerFrameworks() {}

  /**
   * Where the trainer venv's Python is expected: $TRAINYARD_TRAINER_PYTHON or
   * ~/.cache/trainyard/venv.
   */
  public static Path python(Map<String, String> env) {
    String configured = env.get(PYTHON_ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "trainyard", "venv", "bin", "python");
  }

  /** Commands by framework; empty when the checkout (and so train.py) cannot be found. */
  static Map<String, List<String>> commands(Map<String, String> env, Path workingDirectory) {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    RepositoryRoot.locate(env, workingDirectory)
        .map(root -> root.resolve(ULTRALYTICS_TRAINER))
        .filter(Files::isRegularFile)
        .ifPresent(
            train ->
                commands.put(ULTRALYTICS, List.of(python(env).toString(), "-u", train.toString())));
    return commands;
  }
}
