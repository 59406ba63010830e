package dev.trainyard.api.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error replies, for requests it refuses before the application sees them (a header
 * over its limit: 431; an ambiguous path such as {@code %00}: 400), as problem+json like every
 * other error instead of Jetty's HTML page. The detail is Jetty's fixed reason, never request data.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  public ProblemErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Every method gets the document. Jetty's default writes a body only for GET, POST and HEAD
   * ({@code ERROR_METHODS}), so a DELETE it refused (a control character in a header, a header over
   * the limit) was answered with an empty 400 or 431.
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    // Jetty's message is left out: for a malformed header it may quote what the client sent
    byte[] body = json.writeValueAsBytes(Problem.of(code, reasonFor(code), null));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String reasonFor(int code) {
    return switch (code) {
      case 431 -> "the request's headers are too large; send a shorter token or fewer headers";
      case 414 -> "the request's URI is too long";
      case 400 -> "the request is malformed (for example an ambiguous or undecodable path)";
      default -> "the server refused the request before reading it";
    };
  }
}
