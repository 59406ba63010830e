package dev.trainyard.api.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.TimeZone;

/**
 * {@link LogLayouts} for Dropwizard's logging YAML: {@code layout: {type: trainyard, format:
 * ${TRAINYARD_LOG_FORMAT:-text}}} on an appender; one switch between text and JSON lines.
 */
@JsonTypeName("trainyard")
public final class TrainyardLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
  @NotNull
  @Pattern(regexp = LogLayouts.TEXT + "|" + LogLayouts.JSON, message = "must be text or json")
  private String format = LogLayouts.TEXT;

  @JsonProperty
  public String getFormat() {
    return format;
  }

  @JsonProperty
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
    return LogLayouts.build(context, format);
  }
}
