package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.app.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ultralytics demo installs the trainer venv itself, into the folder it runs it from. */
class TrainerVenvTest {
  @TempDir Path checkout;
  Path calls;

  @BeforeEach
  void standInCheckout() throws IOException {
    calls = checkout.resolve("calls.txt");
    Files.createDirectories(checkout.resolve(RepositoryRoot.SCRIPTED_TRAINER).getParent());
    Files.createFile(checkout.resolve(RepositoryRoot.SCRIPTED_TRAINER));
    installer("echo \"install-venv $*\" >> " + calls);
  }

  @Test
  void theInstallerRunsIntoTheVenvTheTrainerIsStartedFrom() throws Exception {
    TrainerVenv.ensure(Map.of(RepositoryRoot.HOME_ENV, checkout.toString()));

    Path venv = TrainerFrameworks.python(Map.of()).getParent().getParent();
    assertThat(Files.readAllLines(calls)).containsExactly("install-venv " + venv);
  }

  @Test
  void aPythonTheUserNamedIsUsedAsItIs() throws Exception {
    TrainerVenv.ensure(
        Map.of(
            RepositoryRoot.HOME_ENV,
            checkout.toString(),
            TrainerFrameworks.PYTHON_ENV,
            "/opt/python/bin/python"));

    assertThat(calls).doesNotExist();
  }

  @Test
  void aFailedInstallStopsTheDemoWithWhatToDo() throws Exception {
    installer("exit 2");

    assertThatThrownBy(
            () -> TrainerVenv.ensure(Map.of(RepositoryRoot.HOME_ENV, checkout.toString())))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("failed (exit 2)")
        .hasMessageContaining(TrainerFrameworks.PYTHON_ENV)
        .hasMessageContaining("--framework scripted");
  }

  private void installer(String body) throws IOException {
    Path file = checkout.resolve(TrainerVenv.INSTALLER);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
