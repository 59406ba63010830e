package dev.trainyard.api.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The admin port's {@code GET /metrics}: the registry in Prometheus' text format 0.0.4, which every
 * Prometheus (and Alloy, and the OpenMetrics-capable ones) reads. Mounted on its own path ahead of
 * Dropwizard's admin servlet, whose JSON metrics move to {@code /metrics.json}.
 */
final class PrometheusText extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** PrometheusTextFormatWriter.CONTENT_TYPE, a runtime-only class of the registry's. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String OFF = "metrics are off (prometheus.enabled: false)\n";

  private final transient Optional<PrometheusMeterRegistry> registry;

  /** Empty: metrics are off ({@code prometheus.enabled: false}); answered 404. */
  PrometheusText(Optional<PrometheusMeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    if (registry.isEmpty()) {
      // written, not sendError: Jetty's error handler would replace the reason with its own
      response.setStatus(404);
      response.setContentType("text/plain; charset=utf-8");
      response.getWriter().write(OFF);
      return;
    }
    response.setStatus(200);
    response.setContentType(CONTENT_TYPE);
    registry.get().scrape(response.getOutputStream(), CONTENT_TYPE);
  }
}
