package dev.trainyard.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A plain HTTP client, so tests send exactly the bytes and headers a hostile caller would. */
public final class Http {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private static final java.util.regex.Pattern CALLBACK_ROUTE =
      java.util.regex.Pattern.compile(".*/(heartbeat|event|done)(\\?.*)?");
  private final String base;
  private final String defaultKey;

  /**
   * A client that sends the test stack's global admin key on user routes unless a request sets its
   * own Authorization; callback routes get only what the test sends.
   */
  public Http(int port) {
    this(port, TestStack.get().adminKey);
  }

  /** {@code key} may be null: nothing is sent unless a request says so. */
  public Http(int port, String key) {
    this.base = "http://localhost:" + port;
    this.defaultKey = key;
  }

  /** A client that sends no credential by itself. */
  public static Http anonymous(int port) {
    return new Http(port, null);
  }

  public record Reply(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }

  public Reply get(String path, String... headers) {
    return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers));
  }

  public Reply delete(String path, String... headers) {
    return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers));
  }

  /** POSTs JSON text; {@code headers} are name, value pairs. */
  public Reply post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
    return send(withHeaders(request, headers));
  }

  /** POSTs a body without Content-Length (chunked transfer encoding). */
  public Reply postChunked(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    return send(withHeaders(request, headers));
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return request;
  }

  private Reply send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    if (defaultKey != null
        && built.headers().firstValue("Authorization").isEmpty()
        && !CALLBACK_ROUTE.matcher(built.uri().getPath()).matches()) {
      request.setHeader("Authorization", "Bearer " + defaultKey);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
