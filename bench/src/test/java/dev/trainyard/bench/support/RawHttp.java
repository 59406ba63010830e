package dev.trainyard.bench.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket: the request line, every header (repeated ones too) and the body
 * bytes go out exactly as given, which java.net.http cannot do (it normalises the path, refuses
 * Transfer-Encoding and Content-Length, and joins repeated headers).
 */
public final class RawHttp {
  /** Status 0: the server closed the connection without an answer. */
  public record Reply(int status, String contentType, String body) {}

  private final int port;

  /**
   * @param apiKey sent on user routes when a request has no Authorization line of its own (null:
   *     never); callback routes get only what the request carries
   */
  public RawHttp(int port, String apiKey) {
    this.port = port;
    this.apiKey = apiKey;
  }

  /** A request; {@code Host} and {@code Connection: close} are added, nothing else. */
  private static final java.util.regex.Pattern CALLBACK_ROUTE =
      java.util.regex.Pattern.compile("[^?]*/(heartbeat|event|done)([?;].*)?");

  private final String apiKey;

  public static final class Request {
    final String method;
    final String target;
    final List<String> headerLines = new ArrayList<>();
    byte[] body = new byte[0];
    boolean framed;
    String version = "HTTP/1.1";
    boolean halfClose;

    public Request(String method, String target) {
      this.method = method;
      this.target = target;
    }

    public Request header(String name, String value) {
      headerLines.add(name + ": " + value);
      return this;
    }

    /** A header line sent verbatim (e.g. with a space before the colon). */
    public Request headerLine(String line) {
      headerLines.add(line);
      return this;
    }

    /** The body with a Content-Length. */
    public Request body(byte[] body) {
      this.body = body;
      this.framed = false;
      return this;
    }

    /** Bytes sent as they are after the headers, no Content-Length added (own framing). */
    public Request rawBody(byte[] bytes) {
      this.body = bytes;
      this.framed = true;
      return this;
    }

    /** Ends the sending side after the bytes, so a server waiting for more sees end of input. */
    public Request halfClose() {
      this.halfClose = true;
      return this;
    }

    public Request version(String version) {
      this.version = version;
      return this;
    }
  }

  public Reply send(Request request) {
    StringBuilder head = new StringBuilder();
    head.append(request.method).append(' ').append(request.target).append(' ');
    head.append(request.version).append("\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("Connection: close\r\n");
    boolean hasAuthorization = false;
    for (String line : request.headerLines) {
      head.append(line).append("\r\n");
      hasAuthorization |= line.regionMatches(true, 0, "Authorization", 0, 13);
    }
    if (apiKey != null && !hasAuthorization && !CALLBACK_ROUTE.matcher(request.target).matches()) {
      head.append("Authorization: Bearer ").append(apiKey).append("\r\n");
    }
    if (!request.framed && (request.body.length > 0 || request.method.equals("POST"))) {
      head.append("Content-Length: ").append(request.body.length).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(request.body);
        out.flush();
        if (request.halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // the server may answer and close before it has read everything: read what it said
      }
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      return new Reply(0, "", e.toString());
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // keep what arrived
    }
    return all.toByteArray();
  }

  static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || end < 0) {
      return new Reply(0, "", text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("content-type")) {
        contentType = value;
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    return new Reply(
        status, contentType, new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    String text = new String(body, StandardCharsets.ISO_8859_1);
    while (at < body.length) {
      int lineEnd = text.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      String size = text.substring(at, lineEnd).split(";")[0].trim();
      int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (length == 0) {
        break;
      }
      out.write(body, lineEnd + 2, Math.min(length, body.length - lineEnd - 2));
      at = lineEnd + 2 + length + 2;
    }
    return out.toByteArray();
  }

  /** {@code body} in HTTP/1.1 chunks of {@code size} bytes, with the last chunk. */
  public static byte[] chunked(byte[] body, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += size) {
      int n = Math.min(size, body.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }
}
