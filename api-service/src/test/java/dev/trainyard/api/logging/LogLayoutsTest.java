package dev.trainyard.api.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.workflows.logging.TraceMdc;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The one log line shape: job_id and trace_id in text and as top-level JSON fields. */
class LogLayoutsTest {
  final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  ILoggingEvent event(Throwable error) {
    try (TraceMdc ignored = TraceMdc.of(12, "5f0c2a8e-trace")) {
      LoggingEvent event =
          new LoggingEvent(
              "x",
              context.getLogger("dev.trainyard.activities.LocalTrainerLauncher"),
              Level.WARN,
              "trainer pid {} exited",
              error,
              new Object[] {42});
      event.prepareForDeferredProcessing(); // copies the MDC, as an async appender would
      return event;
    }
  }

  @Test
  void textLinesCarryTheJobAndTraceIds() {
    String line = LogLayouts.build(context, "text").doLayout(event(null));
    assertThat(line)
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} WARN  \\[.*\\] .*\\n")
        .contains(" job_id=12 trace_id=5f0c2a8e-trace - trainer pid 42 exited");
  }

  @Test
  void jsonLinesHaveTheFieldsTheTrainerWritesTooAtTheTopLevel() throws Exception {
    LayoutBase<ILoggingEvent> layout = LogLayouts.build(context, "JSON");
    String line = layout.doLayout(event(new IllegalStateException("boom")));
    assertThat(line).endsWith("\n").doesNotContain("\n{");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("job_id").asText()).isEqualTo("12");
    assertThat(json.get("trace_id").asText()).isEqualTo("5f0c2a8e-trace");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText())
        .isEqualTo("dev.trainyard.activities.LocalTrainerLauncher");
    assertThat(json.get("message").asText()).isEqualTo("trainer pid 42 exited");
    assertThat(json.get("thread").asText()).isNotBlank();
    assertThat(json.get("exception").asText()).contains("IllegalStateException: boom");
    assertThat(json.get("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  }

  @Test
  void anyOtherFormatIsRefused() {
    assertThatThrownBy(() -> LogLayouts.build(context, "xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text or json");
  }
}
