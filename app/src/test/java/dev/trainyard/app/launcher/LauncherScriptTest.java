package dev.trainyard.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./trainyard} launcher itself, run on a copy of the script in a stand-in checkout whose
 * installers and {@code java} only write down that they were called: what the launcher sets up
 * before the JVM starts, without installing anything for real.
 */
class LauncherScriptTest {
  @TempDir Path dir;
  Path home;
  Path calls;
  String output;

  @BeforeEach
  void standInCheckout() throws IOException {
    home = dir.resolve("checkout");
    calls = dir.resolve("calls.txt");
    Files.createDirectories(home.resolve("app/target/lib"));
    Files.createFile(home.resolve("app/target/trainyard-app-0.jar"));
    Files.copy(
        repositoryRoot().resolve("trainyard"),
        home.resolve("trainyard"),
        StandardCopyOption.COPY_ATTRIBUTES);
    recorder(home.resolve("trainer-ultralytics/install-venv.sh"), "install-venv");
    recorder(home.resolve("temporal-config/install-cli.sh"), "install-temporal-cli");
    recorder(dir.resolve("bin/java"), "java");
  }

  @Test
  void theScriptedDemoInstallsNoPythonEnvironment() throws Exception {
    List<String> called = launch("demo", "--framework", "scripted");

    assertThat(called).noneMatch(line -> line.startsWith("install-venv"));
    assertThat(called).anyMatch(line -> line.startsWith("java") && line.endsWith("scripted"));
  }

  @Test
  void theDevStackInstallsNoPythonEnvironmentUpFront() throws Exception {
    assertThat(launch("dev")).noneMatch(line -> line.startsWith("install-venv"));
  }

  @Test
  void theDemoAndTheDevStackGetTheTemporalCliBeforeTheJvmStarts() throws Exception {
    for (String command : List.of("demo", "dev")) {
      Files.deleteIfExists(calls);
      List<String> called = launch(command);
      assertThat(called).as(command).first().asString().startsWith("install-temporal-cli");
      assertThat(called).as(command).last().asString().startsWith("java");
    }
  }

  @Test
  void withoutTheCliAndWithoutGoTheLauncherSaysItUsesTheTestServerInOneLine() throws Exception {
    Path installer = home.resolve("temporal-config/install-cli.sh");
    Files.writeString(installer, "#!/bin/sh\nexit 3\n");

    List<String> called = launch("dev");

    assertThat(output.strip().lines()).singleElement().asString().contains("in-memory test server");
    assertThat(called).singleElement().asString().startsWith("java");
  }

  @Test
  void otherCommandsInstallNothing() throws Exception {
    assertThat(launch("list")).singleElement().asString().startsWith("java");
  }

  /** Runs the copied launcher with a PATH that holds the stand-in java; returns what it called. */
  private List<String> launch(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(home.resolve("trainyard").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
    builder.environment().put("HOME", dir.toString());
    builder.environment().put("TRAINYARD_SKIP_BUILD", "1");
    builder.environment().put("CALLS", calls.toString());
    Process process = builder.start();
    output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  /** A script that appends its name and arguments to $CALLS and succeeds. */
  private static void recorder(Path file, String name) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\necho \"" + name + " $*\" >> \"$CALLS\"\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path repositoryRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("trainyard")) && Files.isDirectory(d.resolve("app"))) {
        return d;
      }
    }
    throw new AssertionError("the trainyard launcher not found above " + Path.of(""));
  }
}
