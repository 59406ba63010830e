package dev.trainyard.api.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request exactly as written, byte for byte, over a fresh connection: repeated headers,
 * conflicting framing and paths that {@link java.net.http.HttpClient} would refuse or normalise.
 */
public final class RawHttp {
  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /**
   * Sends {@code head} (request line and headers, lines ending in CRLF, without the blank line),
   * then the blank line and {@code body}; reads the reply until the server closes.
   */
  public Http.Reply send(String head, byte[] body) {
    return send(head, body, false);
  }

  /** As {@link #send(String, byte[])}, then ends the request's half of the connection. */
  public Http.Reply sendThenClose(String head, byte[] body) {
    return send(head, body, true);
  }

  private Http.Reply send(String head, byte[] body, boolean halfClose) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        if (halfClose) {
          socket.shutdownOutput(); // a body shorter than its Content-Length ends here
        }
      } catch (java.net.SocketException refusedMidRequest) {
        // A server that refuses the head (e.g. 431, over its header limit) answers and closes
        // before the rest is written; the write then breaks, but its answer is already here.
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Http.Reply send(String head, String body) {
    return send(head, body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // the server may reset after answering a request it refused mid-body; keep what arrived
    }
    return bytes.toByteArray();
  }

  private static Http.Reply parse(byte[] response) {
    // The head is ASCII; the body is framed in bytes (chunk sizes count bytes, not characters), so
    // it is cut out and de-chunked as bytes and decoded as UTF-8 only then.
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException(
          "no complete reply: " + new String(response, StandardCharsets.UTF_8));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    boolean chunked = false;
    for (String line : lines) {
      String lower = line.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).trim();
      }
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
    return new Http.Reply(
        status, contentType, new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] body) {
    // ISO-8859-1 maps each byte to one char, so indexes into this text are byte offsets
    String framing = new String(body, StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < framing.length()) {
      int lineEnd = framing.indexOf("\r\n", at);
      int size = Integer.parseInt(framing.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
