package dev.trainyard.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.workflows.logging.TraceMdc;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The worker's and the CLI's console (logback.xml): the API's text lines, or JSON lines. */
class ProcessLoggingTest {
  final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    ProcessLogging.useFormat("text");
  }

  @Test
  void logbackXmlWritesTheSharedTextPattern() throws Exception {
    try (InputStream xml = getClass().getResourceAsStream("/logback.xml")) {
      assertThat(new String(xml.readAllBytes(), StandardCharsets.UTF_8))
          .contains("<pattern>" + LogFormat.PATTERN + "</pattern>");
    }
  }

  @Test
  void theWorkersJsonFormatPutsTheJobsIdsOnEveryLine() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    // the worker's console as logback.xml makes it: an API started earlier in this test JVM
    // (Dropwizard) replaced the root logger's appenders with its own
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    ProcessLogging.useFormat("json");
    try (TraceMdc ignored = TraceMdc.of(31, "trace-31")) {
      LoggerFactory.getLogger("dev.trainyard.worker.Test").info("trainer {} launched", 31);
    }
    // other threads of this test JVM (earlier tests' servers winding down) may write to the
    // console too: the line under test is the one that carries its message
    String line =
        err.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(each -> each.contains("trainer 31 launched"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line logged: " + err));
    assertThat(line).startsWith("{");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("message").asText()).isEqualTo("trainer 31 launched");
    assertThat(json.get("job_id").asText()).isEqualTo("31");
    assertThat(json.get("trace_id").asText()).isEqualTo("trace-31");
  }
}
