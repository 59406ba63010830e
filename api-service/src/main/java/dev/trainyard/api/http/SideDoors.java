package dev.trainyard.api.http;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.AppenderAttachable;
import dev.trainyard.api.TrainyardApiConfiguration;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.slf4j.LoggerFactory;

/**
 * Closes the ways around the API's authentication that the server itself would otherwise leave open
 * (issue 13, "Ports and side doors"): the callback routes on their own port when {@code
 * callbacks.port} is set ({@link CallbackPortSplit}), the admin port's tasks ({@link
 * AdminTasksOff}), header-dumping debug loggers ({@link NoHeaderDumpingDebug}) and log files
 * readable by everyone ({@link LogFilePermissions}). Called once from the application's {@code
 * run}, after Dropwizard has configured logging (which resets logback and would drop the filter).
 */
public final class SideDoors {
  private SideDoors() {}

  public static void close(TrainyardApiConfiguration config, Environment environment) {
    Integer callbackPort = config.getCallbacks().getPort();
    if (callbackPort != null) {
      // isMatchAfter=false: ahead of every other filter, the heartbeat fast path included
      environment
          .servlets()
          .addFilter(
              "callback-port-split",
              new CallbackPortSplit(callbackPort, environment.getObjectMapper()))
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }
    environment
        .admin()
        .addFilter("admin-tasks-off", new AdminTasksOff(environment.getObjectMapper()))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/tasks/*");

    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
        && logback.getTurboFilterList().stream()
            .noneMatch(f -> NoHeaderDumpingDebug.NAME.equals(f.getName()))) {
      NoHeaderDumpingDebug filter = new NoHeaderDumpingDebug();
      filter.setContext(logback);
      filter.start();
      logback.addTurboFilter(filter);
    }
    LogFilePermissions.protectApplicationLogs();
    // the request log is built with the server, after run(): its files are narrowed once it starts
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server -> {
              if (server.getRequestLog() instanceof AppenderAttachable<?> requestLog) {
                LogFilePermissions.protectAll(requestLog);
              }
            });
  }
}
