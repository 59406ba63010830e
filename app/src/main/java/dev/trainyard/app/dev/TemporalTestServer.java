package dev.trainyard.app.dev;

import io.temporal.testserver.TestServer;
import java.util.Optional;

/**
 * Temporal's in-memory test server bound to a port, so the API, the worker and other processes can
 * all reach it. Real time (time skipping locked), no persistence, no UI: jobs do not survive a
 * restart of the dev stack.
 */
final class TemporalTestServer implements TemporalService {
  private final TestServer.PortBoundTestServer server;
  private final int port;

  private TemporalTestServer(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static TemporalTestServer start(int port) {
    // lockTimeSkipping = true: timers fire in real time, as the job timeouts expect.
    return new TemporalTestServer(TestServer.createPortBoundServer(port, true), port);
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

  @Override
  public void close() {
    server.close();
  }
}
