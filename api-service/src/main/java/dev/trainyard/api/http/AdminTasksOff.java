package dev.trainyard.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.errors.Problem;
import dev.trainyard.api.errors.Problems;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Answers every {@code /tasks/*} request of the admin port with 404, so Dropwizard's tasks never
 * run. Dropwizard 5 always registers {@code log-level} and {@code gc} and has no setting to turn
 * them off or to guard them; {@code log-level} lets whoever reaches the admin port switch any
 * logger to DEBUG, and {@code gc} lets them stall the API. Trainyard registers no task of its own,
 * and log levels are set in the configuration (a restart) instead. The admin port keeps its health
 * checks, metrics and thread dump, and is bound to 127.0.0.1 by the shipped configurations.
 */
public final class AdminTasksOff implements Filter {
  private final byte[] body;

  public AdminTasksOff(ObjectMapper json) {
    try {
      body =
          json.writeValueAsBytes(
              Problem.of(
                  404,
                  "admin tasks are turned off; set log levels in the configuration and restart",
                  null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException {
    HttpServletResponse http = (HttpServletResponse) response;
    http.setStatus(404);
    http.setContentType(Problems.MEDIA_TYPE);
    http.setContentLength(body.length);
    http.getOutputStream().write(body);
  }
}
