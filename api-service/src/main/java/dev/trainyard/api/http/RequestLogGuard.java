package dev.trainyard.api.http;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.request.logging.RequestLogFactory;
import java.util.Locale;

/**
 * Callback tokens travel in the Authorization header. Dropwizard's default request-log format does
 * not print it, but a configured format could; refuse to start with such a format rather than leak
 * tokens into log files.
 */
public final class RequestLogGuard {
  private RequestLogGuard() {}

  public static void check(ServerFactory serverFactory) {
    if (!(serverFactory instanceof AbstractServerFactory server)) {
      return;
    }
    RequestLogFactory<?> requestLog = server.getRequestLogFactory();
    if (!(requestLog instanceof LogbackAccessRequestLogFactory access)) {
      return;
    }
    for (AppenderFactory<?> appender : access.getAppenders()) {
      if (appender instanceof io.dropwizard.logging.common.AbstractAppenderFactory<?> configured) {
        String format = configured.getLogFormat();
        if (format != null && leaksCredentials(format)) {
          throw new IllegalStateException(
              "server.requestLog logFormat would print the Authorization header; remove it");
        }
      }
    }
  }

  public static boolean leaksCredentials(String logFormat) {
    String lower = logFormat.toLowerCase(Locale.ROOT);
    // %i{Authorization} prints one header; %requestContent / %fullRequest print all of them
    return lower.contains("authorization")
        || lower.contains("%fullrequest")
        || lower.contains("%requestcontent");
  }
}
