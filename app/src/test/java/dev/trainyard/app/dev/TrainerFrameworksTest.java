package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerFrameworksTest {
  static final List<String> SCRIPTED = List.of("python3", "scripted_trainer.py");

  @TempDir Path venv;

  @Test
  void byDefaultOnlyScriptedAndUltralyticsHaveATrainerAndNoOtherFrameworkRuns() throws Exception {
    Map<String, List<String>> commands =
        TrainerFrameworks.commands(withPython(venvPython()), Path.of(""), SCRIPTED);

    assertThat(commands).containsOnlyKeys("scripted", "ultralytics");
    assertThat(commands.get("scripted")).isEqualTo(SCRIPTED);
    assertThat(commands.get("ultralytics")).last().asString().endsWith("train.py");
    assertThat(TrainerFrameworks.everyOtherFramework(Map.of())).isEmpty();
  }

  @Test
  void theTrainerCommandVariableRunsEveryFrameworkWithoutItsOwn() {
    Map<String, String> env = Map.of("TRAINYARD_TRAINER_COMMAND", "my-trainer --fast");

    assertThat(TrainerFrameworks.everyOtherFramework(env)).containsExactly("my-trainer", "--fast");
  }

  @Test
  void aFrameworksOwnVariableAddsOrReplacesItsTrainer() {
    Map<String, String> env =
        Map.of(
            "TRAINYARD_TRAINER_COMMAND_PYTORCH", "python3 lightning.py",
            "TRAINYARD_TRAINER_COMMAND_ULTRALYTICS", "/venv/bin/python train.py");

    Map<String, List<String>> commands = TrainerFrameworks.commands(env, Path.of(""), SCRIPTED);

    assertThat(commands)
        .containsEntry("pytorch", List.of("python3", "lightning.py"))
        .containsEntry("ultralytics", List.of("/venv/bin/python", "train.py"))
        .containsEntry("scripted", SCRIPTED);
  }

  @Test
  void withoutTheTrainerVenvUltralyticsHasNoTrainerSoItsJobsAreRefusedAtSubmit() {
    Map<String, List<String>> commands =
        TrainerFrameworks.commands(
            withPython(venv.resolve("missing/bin/python")), Path.of(""), SCRIPTED);

    assertThat(commands).containsOnlyKeys("scripted");
  }

  private Path venvPython() throws Exception {
    Path python = Files.createDirectories(venv.resolve("bin")).resolve("python");
    Files.writeString(python, "#!/bin/sh\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    return python;
  }

  private static Map<String, String> withPython(Path python) {
    return Map.of(TrainerFrameworks.PYTHON_ENV, python.toString());
  }
}
