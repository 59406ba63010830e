package dev.trainyard.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.errors.Problem;
import dev.trainyard.api.errors.Problems;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;

/**
 * With {@code callbacks.port} set, the application connector on that port serves the trainer
 * callbacks and nothing else, and the other connectors serve everything but the callbacks. Trainer
 * pods are let through to the callback port alone (a NetworkPolicy, docs/security.md), so training
 * code can never reach a user route, whatever key it might hold.
 *
 * <p>The port is the one the request's Jetty connector is configured with, never {@code
 * getLocalPort()}: with the PROXY protocol or forwarded headers that would be what the client
 * claims. Each side errs towards refusing. The callback port lets through only the exact raw path
 * the callback routes match ({@code POST /v1/jobs/<digits>/heartbeat|event|done}, no escape, no
 * parameter), so no other spelling can be decoded into a user route behind it. The user ports
 * refuse every path that could decode to a callback route (any escape, case or matrix parameter).
 * Both answer 404 problem+json, and they answer before the heartbeat fast path and Jersey see the
 * request.
 */
public final class CallbackPortSplit implements Filter {
  private static final Pattern CALLBACK_ROUTE =
      Pattern.compile("/v1/jobs/" + JobIdPath.DIGITS + "/(heartbeat|event|done)");

  /** A decoded path ending in {@code jobs/<one segment>/<callback>}, trailing slashes allowed. */
  private static final Pattern MAY_BE_CALLBACK =
      Pattern.compile("(?i).*/jobs/+[^/]*/+(heartbeat|event|done)/*");

  private final int callbackPort;
  private final byte[] onlyCallbacks;
  private final byte[] noCallbacks;

  public CallbackPortSplit(int callbackPort, ObjectMapper json) {
    this.callbackPort = callbackPort;
    this.onlyCallbacks =
        problem(
            json,
            "port "
                + callbackPort
                + " serves only the trainer callbacks (POST /v1/jobs/{id}/heartbeat, event, done);"
                + " use the API's user port");
    this.noCallbacks =
        problem(
            json,
            "trainer callbacks are served on the callback port ("
                + callbackPort
                + "), not on this one");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    Integer port = connectorPort(http);
    if (port == null) {
      refuse((HttpServletResponse) response, onlyCallbacks); // cannot tell the port: serve nothing
    } else if (port == callbackPort) {
      if (isCallbackRoute(http)) {
        chain.doFilter(request, response);
      } else {
        refuse((HttpServletResponse) response, onlyCallbacks);
      }
    } else if (mayBeCallbackRoute(http.getRequestURI())) {
      refuse((HttpServletResponse) response, noCallbacks);
    } else {
      chain.doFilter(request, response);
    }
  }

  /** The configured port of the connector the request came in on; null if it is not a socket. */
  private static Integer connectorPort(HttpServletRequest request) {
    ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
    if (jetty == null) {
      return null;
    }
    Connector connector = jetty.getConnectionMetaData().getConnector();
    return connector instanceof NetworkConnector network ? network.getPort() : null;
  }

  static boolean isCallbackRoute(HttpServletRequest request) {
    return "POST".equals(request.getMethod())
        && CALLBACK_ROUTE.matcher(request.getRequestURI()).matches();
  }

  /**
   * Decoded once, as Jersey decodes a path, with matrix parameters dropped (they are refused later,
   * but must not hide a route here). A path that does not decode cannot reach a route either.
   */
  static boolean mayBeCallbackRoute(String rawPath) {
    String decoded;
    try {
      decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException undecodable) {
      return false;
    }
    return MAY_BE_CALLBACK.matcher(decoded.replaceAll(";[^/]*", "")).matches();
  }

  private static void refuse(HttpServletResponse response, byte[] body) throws IOException {
    response.setStatus(404);
    response.setContentType(Problems.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] problem(ObjectMapper json, String detail) {
    try {
      return json.writeValueAsBytes(Problem.of(404, detail, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
