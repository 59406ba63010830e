package dev.trainyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  @Test
  void aBadCommandLineIsNotMistakenForACancelledJob() {
    assertThat(run("status")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("submit", "--framework", "x")).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.USAGE).isNotEqualTo(ExitCodes.JOB_CANCELLED);
  }

  @Test
  void anUnreachableApiExitsWithItsOwnCodeAndSaysWhatToDo(@TempDir Path home) {
    CliRunner.Result result =
        new CliRunner(
                Map.of(
                    "HOME",
                    home.toString(),
                    "TRAINYARD_API_KEY",
                    "ty_abcdefghijk2_" + "a".repeat(43)),
                home)
            .run("status", "1", "--api", "http://127.0.0.1:1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.API_UNAVAILABLE);
    assertThat(result.err()).contains("is the API running? start it with ./trainyard dev");
  }

  @Test
  void aNestedCommandsBadCommandLineIsAUsageErrorToo() {
    assertThat(run("keys", "create", "--name", "x", "--role", "owner")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("dataset", "upload")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("keys", "create", "--name", "x", "--role", "member", "--expires-in", "soon"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("is not a duration");
  }

  @Test
  void aWorkerConfigurationItCannotUseExitsAsAStartupFailureNamingTheSetting(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("worker.yml");
    Files.writeString(config, "temporall:\n  target: 127.0.0.1:7233\n");

    assertThat(run("worker", config.toString())).isEqualTo(ExitCodes.STARTUP_FAILED);
    assertThat(err.toString()).contains("invalid worker configuration").contains("temporall");
  }

  @Test
  void jobStatusesMapToTheDocumentedExitCodes() {
    assertThat(ExitCodes.forJobStatus("succeeded")).isZero();
    assertThat(ExitCodes.forJobStatus("failed")).isEqualTo(1);
    assertThat(ExitCodes.forJobStatus("cancelled")).isEqualTo(2);
  }
}
