package dev.trainyard.api.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Refuses DEBUG and TRACE from the libraries whose debug output carries request headers, whatever
 * level a configuration or an operator sets, so that neither a callback token nor an API key (both
 * in the Authorization header) is written at any log level:
 *
 * <ul>
 *   <li>Jetty: {@code HttpParser} logs every parsed header with its value at DEBUG ({@code
 *       parsedHeader(...) valueString=[...]}), and its I/O classes dump raw request buffers;
 *   <li>fabric8's {@code HttpLoggingInterceptor} logs the Kubernetes API requests' headers, the
 *       service account's bearer token among them, at TRACE;
 *   <li>Netty (plain and as shaded by gRPC) logs HTTP/2 frames and headers at DEBUG, the Temporal
 *       connection's among them.
 * </ul>
 *
 * INFO and above pass untouched (these libraries do not print headers there). A turbo filter is
 * asked before the level check, so {@code isDebugEnabled()} is false for them as well and Jetty
 * does not even build its debug strings.
 */
public final class NoHeaderDumpingDebug extends TurboFilter {
  static final String NAME = "trainyard-no-header-dumping-debug";

  private static final List<String> REFUSED =
      List.of(
          "org.eclipse.jetty",
          "io.fabric8.kubernetes.client.http",
          "io.netty",
          "io.grpc.netty.shaded.io.netty",
          "io.grpc.netty");

  public NoHeaderDumpingDebug() {
    setName(NAME);
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null || level.levelInt >= Level.INFO_INT) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    for (String prefix : REFUSED) {
      if (name.startsWith(prefix)) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
