package dev.trainyard.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps a terminal readable: Trainyard's own INFO lines, and only warnings and errors from the
 * libraries (Temporal, Jetty, PostgreSQL...), whose INFO lines still go to the log file.
 */
public final class QuietConsoleFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      return FilterReply.NEUTRAL;
    }
    boolean ours = event.getLoggerName().startsWith("dev.trainyard.");
    return ours && event.getLevel().isGreaterOrEqual(Level.INFO)
        ? FilterReply.NEUTRAL
        : FilterReply.DENY;
  }
}
