package dev.trainyard.app.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.trainyard.api.logging.LogLayouts;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Switches the console of a process configured by {@code logback.xml} (the worker, the CLI) to the
 * chosen {@link LogLayouts} format once its configuration is read: the worker's {@code
 * logging.format}, the API's {@code layout.format}.
 */
public final class ProcessLogging {
  private ProcessLogging() {}

  public static void useFormat(String format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(LogLayouts.build(context, format));
        encoder.start();
        appender.setEncoder(encoder);
      }
    }
  }
}
