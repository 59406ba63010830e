package dev.trainyard.app.dev;

import dev.trainyard.worker.config.TrainerCommandVariables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dev stack's trainer per framework, registered the way a worker's configuration registers
 * them: "scripted" runs the dev trainer command ({@code TRAINYARD_TRAINER_COMMAND}, else the
 * scripted trainer); "ultralytics" runs the real YOLO trainer ({@code
 * trainer-ultralytics/train.py}) with the trainer venv's Python; {@code
 * TRAINYARD_TRAINER_COMMAND_<FRAMEWORK>} adds or replaces one. Any other framework runs {@code
 * TRAINYARD_TRAINER_COMMAND} when it is set, and is refused at submit when it is not, rather than
 * run by a trainer that was never meant for it.
 */
public final class TrainerFrameworks {
  public static final String SCRIPTED = "scripted";
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

  /**
   * Commands by framework; ultralytics only when the checkout (and so train.py) and the trainer
   * venv's Python are there: without them its jobs could only fail at launch, so they are refused
   * at submit instead (the dev stack's banner says how to install the venv).
   *
   * @param devTrainerCommand the dev stack's trainer command (see {@link DevSettings})
   */
  static Map<String, List<String>> commands(
      Map<String, String> env, Path workingDirectory, List<String> devTrainerCommand) {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put(SCRIPTED, devTrainerCommand);
    RepositoryRoot.locate(env, workingDirectory)
        .map(root -> root.resolve(ULTRALYTICS_TRAINER))
        .filter(Files::isRegularFile)
        .filter(train -> Files.isExecutable(python(env)))
        .ifPresent(
            train ->
                commands.put(ULTRALYTICS, List.of(python(env).toString(), "-u", train.toString())));
    commands.putAll(TrainerCommandVariables.perFramework(env));
    return commands;
  }

  /** The trainer of every framework without its own: {@code TRAINYARD_TRAINER_COMMAND}, or none. */
  static List<String> everyOtherFramework(Map<String, String> env) {
    return TrainerCommandVariables.everyOtherFramework(env).orElse(List.of());
  }
}
