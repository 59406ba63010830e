package dev.trainyard.api.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import dev.trainyard.workflows.logging.TraceMdc;
import io.dropwizard.logging.json.EventAttribute;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;

/**
 * The one shape of Trainyard's log lines, for the API, the worker and the CLI alike (the Python
 * trainer writes the same, see trainyard_trainer/log_format.py): {@code text} for people, or {@code
 * json}, one object a line, for a log agent. Both carry the job's {@code job_id} and {@code
 * trace_id} (from {@link TraceMdc}) under those names.
 */
public final class LogLayouts {
  public static final String TEXT = "text";
  public static final String JSON = "json";
  public static final Set<String> FORMATS = Set.of(TEXT, JSON);

  public static final String TEXT_PATTERN =
      "%d{ISO8601,UTC} %-5level [%thread] %logger{36} "
          + TraceMdc.JOB_ID_KEY
          + "=%X{"
          + TraceMdc.JOB_ID_KEY
          + ":-} "
          + TraceMdc.KEY
          + "=%X{"
          + TraceMdc.KEY
          + ":-} - %msg%n";

  /** The JSON fields: timestamp, level, thread, logger, message, exception, and the MDC's keys. */
  static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  private LogLayouts() {}

  /** The layout for {@code format} ({@link #TEXT} or {@link #JSON}), started. */
  public static LayoutBase<ILoggingEvent> build(LoggerContext context, String format) {
    String chosen = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    LayoutBase<ILoggingEvent> layout;
    if (TEXT.equals(chosen)) {
      PatternLayout pattern = new PatternLayout();
      pattern.setPattern(TEXT_PATTERN);
      layout = pattern;
    } else if (JSON.equals(chosen)) {
      EventJsonLayoutBaseFactory json = new EventJsonLayoutBaseFactory();
      json.setIncludes(
          EnumSet.of(
              EventAttribute.TIMESTAMP,
              EventAttribute.LEVEL,
              EventAttribute.THREAD_NAME,
              EventAttribute.LOGGER_NAME,
              EventAttribute.MESSAGE,
              EventAttribute.EXCEPTION,
              EventAttribute.MDC));
      // job_id and trace_id at the top level, as the trainer writes them and Alloy reads them.
      json.setFlattenMdc(true);
      json.setTimestampFormat(TIMESTAMP_FORMAT);
      layout = json.build(context, TimeZone.getTimeZone("UTC"));
    } else {
      throw new IllegalArgumentException(
          "log format must be " + TEXT + " or " + JSON + ", not '" + format + "'");
    }
    layout.setContext(context);
    layout.start();
    return layout;
  }
}
