package dev.trainyard.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * temporal-config/install-cli.sh, shared by .ci/run and ./trainyard: builds the CLI once with go
 * where Go is present, says so in one line, and reports when it cannot (exit 3: no go, 4: the build
 * failed). A stand-in {@code go} records its call and writes the binary, so nothing is downloaded.
 */
class InstallTemporalCliTest {
  private static final Path SCRIPT = Path.of("temporal-config", "install-cli.sh");

  @TempDir Path dir;

  @Test
  void withGoItBuildsTheCliOnceIntoTheCacheAndSaysSoInOneLine() throws Exception {
    fakeGo();

    Result first = run(Map.of());
    Result second = run(Map.of());

    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output().strip().lines()).singleElement().asString().contains("v1.5.1");
    assertThat(Files.readAllLines(dir.resolve("go-calls.txt")))
        .containsExactly(
            "GOBIN="
                + dir.resolve("cache/bin")
                + " GOFLAGS=-mod=mod install"
                + " github.com/temporalio/cli/cmd/temporal@v1.5.1");
    assertThat(dir.resolve("cache/bin/temporal")).isExecutable();
    assertThat(second.exit()).isZero();
    assertThat(second.output()).isEmpty();
    assertThat(Files.readAllLines(dir.resolve("go-calls.txt"))).hasSize(1);
  }

  @Test
  void anExplicitBinaryNeedsNoBuild() throws Exception {
    fakeGo();
    Result result = run(Map.of("TRAINYARD_TEMPORAL_BIN", "/somewhere/temporal"));

    assertThat(result.exit()).isZero();
    assertThat(dir.resolve("go-calls.txt")).doesNotExist();
  }

  @Test
  void withoutGoItLeavesWhatToSayAndDoToTheCaller() throws Exception {
    Result result = run(Map.of());

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.output()).isEmpty();
  }

  @Test
  void aFailedBuildIsReportedWithItsLog() throws Exception {
    script(dir.resolve("bin/go"), "echo 'go: module lookup disabled' >&2; exit 1");

    Result result = run(Map.of());

    assertThat(result.exit()).isEqualTo(4);
    assertThat(result.output()).contains("module lookup disabled").contains("failed");
  }

  record Result(int exit, String output) {}

  private Result run(Map<String, String> extra) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(repositoryRoot().resolve(SCRIPT).toString()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", dir.resolve("bin") + ":" + tools());
    builder.environment().put("HOME", dir.toString());
    builder.environment().put("TRAINYARD_CACHE", dir.resolve("cache").toString());
    builder.environment().put("GO_CALLS", dir.resolve("go-calls.txt").toString());
    builder.environment().putAll(extra);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  /**
   * A folder with only the programs the script uses, so a go or temporal installed on this machine
   * cannot leak into the test.
   */
  private Path tools() throws IOException {
    Path tools = dir.resolve("tools");
    if (!Files.isDirectory(tools)) {
      Files.createDirectories(tools);
      for (String program : List.of("bash", "sh", "env", "mkdir", "tail", "chmod", "cat")) {
        for (String d : System.getenv("PATH").split(":")) {
          Path found = Path.of(d, program);
          if (Files.isExecutable(found)) {
            Files.createSymbolicLink(tools.resolve(program), found);
            break;
          }
        }
      }
    }
    return tools;
  }

  /** Records how it was called and "builds" an executable temporal into $GOBIN. */
  private void fakeGo() throws IOException {
    script(
        dir.resolve("bin/go"),
        "echo \"GOBIN=$GOBIN GOFLAGS=$GOFLAGS $*\" >> \"$GO_CALLS\"\n"
            + "echo 'go: downloading github.com/temporalio/cli v1.5.1'\n"
            + "printf '#!/bin/sh\\n' > \"$GOBIN/temporal\" && chmod +x \"$GOBIN/temporal\"");
  }

  private static void script(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path repositoryRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(SCRIPT))) {
        return d;
      }
    }
    throw new AssertionError(SCRIPT + " not found above " + Path.of("").toAbsolutePath());
  }
}
