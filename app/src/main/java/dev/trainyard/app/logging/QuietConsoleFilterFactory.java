package dev.trainyard.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.filter.FilterFactory;

/**
 * {@link QuietConsoleFilter} for Dropwizard's logging YAML: {@code filterFactories: [{type:
 * trainyard-quiet-console}]}.
 */
@JsonTypeName("trainyard-quiet-console")
public final class QuietConsoleFilterFactory implements FilterFactory<ILoggingEvent> {
  @Override
  public Filter<ILoggingEvent> build() {
    return new QuietConsoleFilter();
  }
}
