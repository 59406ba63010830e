package dev.trainyard.api.config;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.List;

/**
 * When {@code callbacks.port} is set it must name exactly one of the application connectors, and
 * another one must be left for the user routes: a port that no connector opens would leave the
 * trainers nowhere to call, and a lone connector would serve no user route at all.
 */
public final class CallbackPortRule {
  public static final String MESSAGE =
      "callbacks.port (TRAINYARD_CALLBACK_PORT) must be the port of exactly one entry of"
          + " server.applicationConnectors, and at least one other application connector must"
          + " serve the user routes; leave callbacks.port unset to serve both on every connector";

  private CallbackPortRule() {}

  public static boolean holds(ServerFactory server, Integer callbackPort) {
    if (callbackPort == null) {
      return true;
    }
    // SimpleServerFactory has one connector for everything, the admin pages included
    if (!(server instanceof DefaultServerFactory split)) {
      return false;
    }
    List<ConnectorFactory> connectors = split.getApplicationConnectors();
    long matching =
        connectors.stream()
            .filter(c -> c instanceof HttpConnectorFactory http && http.getPort() == callbackPort)
            .count();
    return matching == 1 && connectors.size() >= 2;
  }
}
