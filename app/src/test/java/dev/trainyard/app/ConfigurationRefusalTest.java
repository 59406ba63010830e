package dev.trainyard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code trainyard server} and {@code trainyard worker} refuse a configuration the same way, before
 * anything starts: the shipped example with one thing wrong, each time exit code 5 and a message
 * that names the file's kind and what to fix. An unset variable without a default, a key the
 * process does not read, a value it cannot use.
 */
class ConfigurationRefusalTest {
  /** Never set: a placeholder without a default for it must stop the process. */
  private static final String UNSET = "TRAINYARD_REFUSAL_TEST_NEVER_SET";

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  /** The shipped example of {@code process}, changed by {@code edit}. */
  private Path example(String process, UnaryOperator<String> edit) throws IOException {
    String resource = process.equals("server") ? "/example-api.yml" : "/example-worker.yml";
    Path file = dir.resolve(process + ".yml");
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(file, edit.apply(Files.readString(file)));
    return file;
  }

  private static String kind(String process) {
    return process.equals("server") ? "invalid API configuration" : "invalid worker configuration";
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "worker"})
  void anUnsetVariableWithoutADefaultStopsTheProcessNamingIt(String process) throws Exception {
    Path config =
        example(
            process, yaml -> yaml.replace("${TRAINYARD_DB_USER:-trainyard}", "${" + UNSET + "}"));

    assertThat(run(process, config.toString())).isEqualTo(ExitCodes.STARTUP_FAILED);
    assertThat(err.toString()).contains(kind(process)).contains(UNSET);
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "worker"})
  void aKeyTheProcessDoesNotReadIsRefusedNotIgnored(String process) throws Exception {
    Path config =
        example(process, yaml -> yaml.replace("\ntemporal:\n", "\ntemporal:\n  adress: x:1\n"));

    assertThat(run(process, config.toString())).isEqualTo(ExitCodes.STARTUP_FAILED);
    assertThat(err.toString()).contains(kind(process)).contains("adress");
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "worker"})
  void aValueItCannotUseIsRefusedNamingTheSetting(String process) throws Exception {
    Path config =
        example(
            process,
            yaml ->
                yaml.replace("${TRAINYARD_TEMPORAL_TARGET:-127.0.0.1:7233}", "http://temporal"));

    assertThat(run(process, config.toString())).isEqualTo(ExitCodes.STARTUP_FAILED);
    assertThat(err.toString()).contains(kind(process)).contains("temporal.target");
  }
}
