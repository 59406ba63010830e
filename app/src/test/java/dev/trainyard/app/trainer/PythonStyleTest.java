package dev.trainyard.app.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every Python file of the checkout (the trainer, its tests and benches, the example trainer) is
 * formatted by ruff and passes its linter, as configured in the root ruff.toml. Fix with: ruff
 * format . && ruff check --fix . (ruff is in the trainer venv).
 */
class PythonStyleTest {
  @Test
  void everyPythonFileIsFormatted() throws Exception {
    TrainerPython.Result format =
        TrainerPython.run(TrainerPython.repositoryRoot(), "ruff", "format", "--check", ".");
    assertThat(format.exitCode())
        .as("ruff format --check; run `ruff format .` to fix:%n%s", format.output())
        .isZero();
  }

  @Test
  void everyPythonFilePassesTheLinter() throws Exception {
    TrainerPython.Result check =
        TrainerPython.run(TrainerPython.repositoryRoot(), "ruff", "check", ".");
    assertThat(check.exitCode()).as("ruff check:%n%s", check.output()).isZero();
    assertThat(check.output()).contains("All checks passed");
  }
}
