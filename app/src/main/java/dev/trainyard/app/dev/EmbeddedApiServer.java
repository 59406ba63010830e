package dev.trainyard.app.dev;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API application run in this JVM exactly as {@code trainyard server} runs it (same command,
 * same YAML handling), but keeping hold of its Jetty server so the dev stack and tests can read its
 * real port and stop it, which {@code Application.run} does not allow.
 */
final class EmbeddedApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedApiServer.class);
  private final Server jetty;
  private final int port;
  private final int adminPort;

  private EmbeddedApiServer(Server jetty, int port, int adminPort) {
    this.jetty = jetty;
    this.port = port;
    this.adminPort = adminPort;
  }

  static EmbeddedApiServer start(Path configFile) throws Exception {
    TrainyardApiApplication application = new TrainyardApiApplication();
    Bootstrap<TrainyardApiConfiguration> bootstrap = new Bootstrap<>(application);
    application.initialize(bootstrap);
    AtomicReference<Server> started = new AtomicReference<>();
    AtomicReference<Integer> port = new AtomicReference<>();
    AtomicReference<Integer> adminPort = new AtomicReference<>();
    bootstrap.addBundle(
        new ConfiguredBundle<TrainyardApiConfiguration>() {
          @Override
          public void run(TrainyardApiConfiguration configuration, Environment environment) {
            environment
                .lifecycle()
                .addServerLifecycleListener(
                    new ServerLifecycleListener() {
                      @Override
                      public void serverStarted(Server server) {
                        port.set(getLocalPort(server));
                        adminPort.set(getAdminPort(server));
                        started.set(server);
                      }
                    });
          }
        });
    new ServerCommand<>(application)
        .run(bootstrap, new Namespace(Map.of("file", configFile.toString())));
    if (started.get() == null) {
      throw new IllegalStateException("the API did not start; see the log");
    }
    // Jetty stops itself from its own shutdown hook, concurrently with the dev stack's; the stack
    // must stop it in order instead (trainers report their done before the API goes away).
    started.get().setStopAtShutdown(false);
    return new EmbeddedApiServer(started.get(), port.get(), adminPort.get());
  }

  int port() {
    return port;
  }

  /** Health checks and {@code /metrics}. */
  int adminPort() {
    return adminPort;
  }

  @Override
  public void close() throws Exception {
    try {
      jetty.stop();
    } catch (TimeoutException e) {
      // Requests still open after the grace period (log follows) were cut off; Jetty has stopped
      // the rest regardless, and says so only by this.
      log.info("API stopped; requests open past the shutdown grace period were cut off");
    }
  }
}
