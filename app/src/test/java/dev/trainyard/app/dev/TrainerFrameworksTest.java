package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerFrameworksTest {
  static final List<String> SCRIPTED = List.of("python3", "scripted_trainer.py");

  @Test
  void byDefaultOnlyScriptedAndUltralyticsHaveATrainerAndNoOtherFrameworkRuns() {
    Map<String, List<String>> commands =
        TrainerFrameworks.commands(Map.of(), Path.of(""), SCRIPTED);

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
}
