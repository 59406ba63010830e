package dev.trainyard.app.dev;

import dev.trainyard.app.StartupException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-memory test server on a port of 127.0.0.1, so the API, the worker and other
 * processes on this machine can reach it, and nothing else can. Real time (time skipping locked),
 * no persistence, no UI: jobs do not survive a restart of the dev stack.
 *
 * <p>Not {@code TestServer.createPortBoundServer}: that binds the port on every interface (gRPC's
 * {@code forPort}), and the test server has no authorizer, so anyone who could reach the machine
 * could signal {@code trainerDone} or terminate a workflow without a callback token. The services
 * and health checks are those {@code createPortBoundServer} registers (the SDK's own helpers,
 * {@code io.temporal.internal}: pinned by the Temporal version in the build, and TemporalBindTest
 * fails if they change); only the listening address differs.
 */
final class TemporalTestServer implements TemporalService {
  private final TestServicesStarter services;
  private final Server grpc;
  private final int port;

  private TemporalTestServer(TestServicesStarter services, Server grpc, int port) {
    this.services = services;
    this.grpc = grpc;
    this.port = port;
  }

  static TemporalTestServer start(int port) {
    // lockTimeSkipping = true: timers fire in real time, as the job timeouts expect.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(loopback(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      Server grpc = builder.build().start();
      return new TemporalTestServer(services, grpc, grpc.getPort());
    } catch (IOException e) {
      services.close();
      throw new StartupException("the Temporal test server cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** 127.0.0.1 itself, not whatever "localhost" resolves to: the target says 127.0.0.1. */
  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public Optional<String> uiUrl() {
    return Optional.empty();
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public String description() {
    return "Temporal test server (in-process, in-memory, no UI; install the temporal CLI for a"
        + " durable dev server with UI)";
  }

  /** As the SDK's port-bound server closes: stop taking calls, then the services. */
  @Override
  public void close() {
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
