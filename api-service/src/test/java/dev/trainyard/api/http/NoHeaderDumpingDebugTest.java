package dev.trainyard.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

/** Header-dumping libraries stay below DEBUG whatever their level; everything else is untouched. */
class NoHeaderDumpingDebugTest {
  @Test
  void debugAndTraceAreRefusedForHeaderDumpingLoggersOnly() {
    LoggerContext context = new LoggerContext();
    NoHeaderDumpingDebug filter = new NoHeaderDumpingDebug();
    filter.start();
    context.addTurboFilter(filter);
    context.getLogger("ROOT").setLevel(Level.TRACE);

    for (String name :
        new String[] {
          "org.eclipse.jetty.http.HttpParser",
          "org.eclipse.jetty.io.ManagedSelector",
          "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor",
          "io.netty.handler.logging.LoggingHandler",
          "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler",
        }) {
      ch.qos.logback.classic.Logger logger = context.getLogger(name);
      logger.setLevel(Level.TRACE);
      assertThat(logger.isDebugEnabled()).as(name).isFalse();
      assertThat(logger.isTraceEnabled()).as(name).isFalse();
      assertThat(logger.isInfoEnabled()).as(name).isTrue();
      assertThat(logger.isWarnEnabled()).as(name).isTrue();
    }
    for (String name :
        new String[] {"dev.trainyard.api.jobs.JobsResource", "org.jdbi.v3", "io.temporal"}) {
      assertThat(context.getLogger(name).isDebugEnabled()).as(name).isTrue();
    }
  }
}
