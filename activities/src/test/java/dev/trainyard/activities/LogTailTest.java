package dev.trainyard.activities;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  @Test
  void keepsWholeLinesWithinTheByteCap() throws Exception {
    Path log = dir.resolve("trainer.log");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      text.append(i).append(' ').append("x".repeat(500)).append('\n');
    }
    Files.writeString(log, text);

    String tail = LogTail.read(log);

    assertThat(tail.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LogTail.MAX_BYTES);
    assertThat(tail.lines()).allMatch(line -> line.length() == 500 + line.indexOf(' ') + 1);
    assertThat(tail.lines().reduce((a, b) -> b))
        .hasValueSatisfying(l -> assertThat(l).startsWith("99 "));
  }

  @Test
  void masksTokensAndToleratesAMissingLog() throws Exception {
    Path log = dir.resolve("trainer.log");
    Files.writeString(
        log, "CALLBACK_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJqb2JfaWQiOjF9.c2lnbmF0dXJl\ndone\n");

    assertThat(LogTail.read(log)).isEqualTo("CALLBACK_TOKEN=[redacted token]\ndone");
    assertThat(LogTail.read(dir.resolve("missing.log"))).isEmpty();
  }
}
