package dev.trainyard.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import io.dropwizard.logging.common.BootstrapLogging;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The dev stack's logging until the in-process API takes over (its YAML, written by the dev stack,
 * says the same thing): a quiet console and the full log in one file.
 */
public final class DevLogging {
  private DevLogging() {}

  public static void toConsoleAndFile(Path logFile, boolean consoleInfo) {
    // Dropwizard resets logging once per JVM when its first Application is built; do it now so
    // that reset does not later remove the file appender below.
    BootstrapLogging.bootstrap(Level.WARN);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.INFO);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setTarget("System.err");
    console.setEncoder(encoder(context));
    Filter<ILoggingEvent> quiet = consoleInfo ? new QuietConsoleFilter() : warningsOnly();
    quiet.start();
    console.addFilter(quiet);
    LogFormat.QUIETED.forEach(
        (name, level) -> context.getLogger(name).setLevel(Level.toLevel(level)));
    console.start();
    root.addAppender(console);

    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setFile(logFile.toString());
    file.setAppend(true);
    file.setEncoder(encoder(context));
    file.start();
    root.addAppender(file);
  }

  private static Filter<ILoggingEvent> warningsOnly() {
    ThresholdFilter filter = new ThresholdFilter();
    filter.setLevel(Level.WARN.levelStr);
    return filter;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(LogFormat.PATTERN);
    encoder.start();
    return encoder;
  }
}
