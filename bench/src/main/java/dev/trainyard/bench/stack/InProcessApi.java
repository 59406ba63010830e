package dev.trainyard.bench.stack;

import dev.trainyard.api.TrainyardApiApplication;
import dev.trainyard.api.TrainyardApiConfiguration;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.server.Server;

/**
 * The API application run in this JVM as {@code trainyard server} runs it, keeping its Jetty to
 * stop it.
 */
public final class InProcessApi implements AutoCloseable {
  private final Server jetty;
  private final int port;

  private InProcessApi(Server jetty, int port) {
    this.jetty = jetty;
    this.port = port;
  }

  public static InProcessApi start(Path configFile) throws Exception {
    TrainyardApiApplication application = new TrainyardApiApplication();
    Bootstrap<TrainyardApiConfiguration> bootstrap = new Bootstrap<>(application);
    application.initialize(bootstrap);
    AtomicReference<Server> started = new AtomicReference<>();
    AtomicReference<Integer> port = new AtomicReference<>();
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
                        started.set(server);
                      }
                    });
          }
        });
    new ServerCommand<>(application)
        .run(bootstrap, new Namespace(Map.of("file", configFile.toString())));
    Server server = started.get();
    if (server == null) {
      throw new IllegalStateException("the API did not start");
    }
    server.setStopAtShutdown(false);
    return new InProcessApi(server, port.get());
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
