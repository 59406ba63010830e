package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack binds everything it starts to 127.0.0.1: every socket its processes listen on (this
 * JVM: API and admin connectors, S3, the Temporal test server; its children: the Temporal dev
 * server; and PostgreSQL, which zonky's pg_ctl starts detached) is on a loopback address, and a
 * connection to the machine's own non-loopback address on those ports is refused. A Temporal
 * frontend on every interface let anyone who reached the machine end a running job without a
 * callback token.
 */
class LoopbackOnlyTest {
  @TempDir Path data;

  @Test
  void theStackWithTheTemporalTestServerListensOnLoopbackOnly() throws Exception {
    check(DevSettings.forTests(data));
  }

  @Test
  void theStackWithTheTemporalCliDevServerListensOnLoopbackOnly() throws Exception {
    Optional<Path> binary = TemporalCli.findBinary(System.getenv());
    assumeTrue(binary.isPresent(), "no temporal CLI on this machine");
    check(
        DevSettings.forTests(data)
            .withTemporalCli(Optional.of(new TemporalCli(binary.get(), Optional.empty()))));
  }

  private static void check(DevSettings settings) throws Exception {
    assumeTrue(ListeningSockets.available(), "needs Linux's /proc to list sockets");
    Set<Long> before = inodes(ListeningSockets.ofThisProcessTree());
    try (DevStack stack = DevStack.start(settings)) {
      int postgres = URI.create(stack.jdbcUrl().substring("jdbc:".length())).getPort();
      List<ListeningSockets.Socket> opened =
          ListeningSockets.ofThisProcessTree().stream()
              .filter(s -> !before.contains(s.inode()))
              .toList();
      List<ListeningSockets.Socket> database =
          ListeningSockets.all().stream().filter(s -> s.port() == postgres).toList();

      int temporal = Integer.parseInt(stack.temporalTarget().split(":")[1]);
      int api = URI.create(stack.apiUrl()).getPort();
      int s3 = URI.create(stack.s3().endpoint()).getPort();
      assertThat(opened).extracting(ListeningSockets.Socket::port).contains(temporal, api, s3);
      assertThat(database).isNotEmpty();
      assertThat(opened).allSatisfy(s -> assertThat(s.loopback()).as(s.toString()).isTrue());
      assertThat(database).allSatisfy(s -> assertThat(s.loopback()).as(s.toString()).isTrue());

      Optional<InetAddress> outside = nonLoopbackAddress();
      assumeTrue(outside.isPresent(), "this machine has no non-loopback address to try");
      for (int port : List.of(temporal, api, s3, postgres)) {
        assertThat(accepts(outside.get(), port))
            .as("port " + port + " on " + outside.get().getHostAddress())
            .isFalse();
        assertThat(accepts(InetAddress.getLoopbackAddress(), port)).as("port " + port).isTrue();
      }
      for (ListeningSockets.Socket socket : opened) {
        assertThat(accepts(outside.get(), socket.port())).as(socket.toString()).isFalse();
      }
    }
  }

  private static Set<Long> inodes(List<ListeningSockets.Socket> sockets) {
    Set<Long> inodes = new HashSet<>();
    sockets.forEach(s -> inodes.add(s.inode()));
    return inodes;
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      Optional<InetAddress> address =
          nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
      if (address.isPresent()) {
        return address;
      }
    }
    return Optional.empty();
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
