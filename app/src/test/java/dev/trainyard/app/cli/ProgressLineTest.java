package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rendersEpochProgressLossAndStatus() {
    assertThat(ProgressLine.render(job("running", 2, 40.0), 0.51234))
        .isEqualTo("[##########..............] epoch 2/5   40.0%  loss 0.5123  running");
  }

  @Test
  void onATerminalAShorterLineCoversTheEndOfTheLongerOneBeforeIt() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressLine line =
        new ProgressLine(new PrintStream(buffer, true, StandardCharsets.UTF_8), true);

    line.update(job("pending", 0, 0), null);
    line.update(job("queued", 0, 0), null);

    String[] frames = buffer.toString(StandardCharsets.UTF_8).split("\r");
    String last = frames[frames.length - 1];
    assertThat(last).startsWith("[........................] epoch 0/5    0.0%  queued ");
    assertThat(last).hasSize(frames[frames.length - 2].length());
  }

  private static ObjectNode job(String status, int epoch, double progress) {
    return JSON.createObjectNode()
        .put("status", status)
        .put("epochs", 5)
        .put("current_epoch", epoch)
        .put("progress", progress);
  }
}
