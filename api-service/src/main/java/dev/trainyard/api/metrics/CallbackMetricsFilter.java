package dev.trainyard.api.metrics;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Times and counts every trainer callback ({@link CallbackMeters}) in front of the heartbeat fast
 * path, so the fast path's answers and Jersey's (every error included) are measured alike. Anything
 * that is not a {@code POST} ending in a callback route's name passes untouched.
 */
public final class CallbackMetricsFilter implements Filter {
  private static final String JOBS = "/v1/jobs/";

  private final CallbackMeters meters;

  public CallbackMetricsFilter(CallbackMeters meters) {
    this.meters = meters;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    CallbackMeters.Route route = route((HttpServletRequest) request);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    long started = System.nanoTime();
    int code = 500; // what Jetty answers for an exception that escapes the chain
    try {
      chain.doFilter(request, response);
      code = ((HttpServletResponse) response).getStatus();
    } finally {
      meters.record(route, code, System.nanoTime() - started);
    }
  }

  /** By suffix, without a regex or a copy of the path: this runs for every heartbeat. */
  static CallbackMeters.Route route(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    String path = request.getRequestURI();
    if (path == null || !path.startsWith(JOBS)) {
      return null;
    }
    if (path.endsWith("/heartbeat")) {
      return CallbackMeters.Route.HEARTBEAT;
    }
    if (path.endsWith("/event")) {
      return CallbackMeters.Route.EVENT;
    }
    if (path.endsWith("/done")) {
      return CallbackMeters.Route.DONE;
    }
    return null;
  }
}
