package dev.trainyard.app.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state on this machine, read from Linux's {@code /proc/net/tcp} and
 * {@code tcp6}, and which of them belong to this JVM and its child processes (by the socket inodes
 * in {@code /proc/<pid>/fd}). What a process listens on, whatever it logs or claims.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";

  record Socket(InetSocketAddress address, long inode) {
    boolean loopback() {
      return address.getAddress().isLoopbackAddress() || mappedLoopback();
    }

    /** {@code ::ffff:127.0.0.1}: an IPv6 socket bound to the IPv4 loopback. */
    private boolean mappedLoopback() {
      byte[] bytes = address.getAddress().getAddress();
      return bytes.length == 16
          && bytes[10] == (byte) 0xff
          && bytes[11] == (byte) 0xff
          && bytes[12] == 127;
    }

    int port() {
      return address.getPort();
    }
  }

  private ListeningSockets() {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/net/tcp"))
        && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  /** Every listening socket of the machine (this network namespace). */
  static List<Socket> all() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file); // read once: the table changes meanwhile
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals(LISTEN)) {
          String[] local = fields[1].split(":");
          sockets.add(
              new Socket(
                  new InetSocketAddress(address(local[0]), Integer.parseInt(local[1], 16)),
                  Long.parseLong(fields[9])));
        }
      }
    }
    return sockets;
  }

  /** The listening sockets of this JVM and every process it started (and theirs). */
  static List<Socket> ofThisProcessTree() throws IOException {
    Set<Long> inodes = new HashSet<>();
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(processes::add);
    for (ProcessHandle process : processes) {
      Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
      try (Stream<Path> links = Files.list(fds)) {
        for (Path link : (Iterable<Path>) links::iterator) {
          try {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
            }
          } catch (IOException closedMeanwhile) {
            // an fd closed between the listing and the read
          }
        }
      } catch (IOException exited) {
        // a child that ended between the listing and the read
      }
    }
    return all().stream().filter(s -> inodes.contains(s.inode())).toList();
  }

  /** /proc's hex address: IPv4 as one little-endian 32-bit word, IPv6 as four of them. */
  private static InetAddress address(String hex) throws IOException {
    byte[] raw = HexFormat.of().parseHex(hex);
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 2; i++) {
        byte b = raw[word + i];
        raw[word + i] = raw[word + 3 - i];
        raw[word + 3 - i] = b;
      }
    }
    return InetAddress.getByAddress(raw);
  }
}
