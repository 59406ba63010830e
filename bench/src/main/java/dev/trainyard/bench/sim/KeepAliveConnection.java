package dev.trainyard.bench.sim;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection that sends a POST and reads its reply, the way a trainer's
 * keep-alive session does. Deliberately small: the simulator shares two cores with the system it
 * measures, and {@code java.net.http} spent about 0.4 ms of CPU per call, a third of the budget.
 * Handles Content-Length and chunked replies and {@code Connection: close}.
 */
final class KeepAliveConnection implements AutoCloseable {
  /** A reply: its status and body text. */
  record Exchange(int status, String body) {}

  private final String host;
  private final int port;
  private final Duration timeout;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** Read-ahead of the reply stream, scanned here rather than a synchronized read() per byte. */
  private final byte[] buffer = new byte[8192];

  private int position;
  private int limit;

  KeepAliveConnection(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  Exchange post(String path, String bearerToken, byte[] json) throws IOException {
    if (socket == null) {
      open();
    }
    try {
      StringBuilder head =
          new StringBuilder(256)
              .append("POST ")
              .append(path)
              .append(" HTTP/1.1\r\n")
              .append("Host: ")
              .append(host)
              .append(':')
              .append(port)
              .append("\r\n")
              .append("Content-Type: application/json\r\n")
              .append("Content-Length: ")
              .append(json.length)
              .append("\r\n");
      if (bearerToken != null) {
        head.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(json);
      out.flush();
      return readReply();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void open() throws IOException {
    Socket fresh = new Socket();
    fresh.setTcpNoDelay(true);
    fresh.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 5_000));
    fresh.setSoTimeout((int) timeout.toMillis());
    socket = fresh;
    in = fresh.getInputStream();
    out = fresh.getOutputStream();
    position = 0;
    limit = 0;
  }

  private Exchange readReply() throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP reply: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body = chunked ? chunkedBody() : bytes((int) Math.max(0, length));
    if (!chunked && body.length < length) {
      throw new EOFException("reply body cut short");
    }
    if (closeAfter || (!chunked && length < 0)) {
      close();
    }
    return new Exchange(status, new String(body, StandardCharsets.UTF_8));
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = chunkSize(); size > 0; size = chunkSize()) {
      body.write(bytes(size));
      line();
    }
    while (!line().isEmpty()) {
      // trailers
    }
    return body.toByteArray();
  }

  private int chunkSize() throws IOException {
    String size = line();
    int extension = size.indexOf(';');
    return Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (position == limit && !fill()) {
        throw new EOFException("connection closed by the server");
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      line.append(new String(buffer, start, position - start, StandardCharsets.ISO_8859_1));
      if (position < limit) {
        position++; // the '\n'
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
    }
  }

  /** Exactly n bytes: first what is buffered, then from the socket; shorter only at EOF. */
  private byte[] bytes(int n) throws IOException {
    byte[] out = new byte[n];
    int have = Math.min(n, limit - position);
    System.arraycopy(buffer, position, out, 0, have);
    position += have;
    while (have < n) {
      int read = in.read(out, have, n - have);
      if (read < 0) {
        return java.util.Arrays.copyOf(out, have);
      }
      have += read;
    }
    return out;
  }

  private boolean fill() throws IOException {
    int read = in.read(buffer, 0, buffer.length);
    if (read <= 0) {
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
    socket = null;
  }
}
