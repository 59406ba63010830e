package dev.trainyard.api.health;

import com.codahale.metrics.health.HealthCheck.Result;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;

/**
 * The admin port's {@code /healthcheck} and {@code /ready}: every registered check, run in
 * parallel, as {@code {"name": {"healthy": …, "critical": …, "message": …}}}. {@code /healthcheck}
 * answers 503 when any check fails (for monitoring: "Temporal unreachable" is worth an alert);
 * {@code /ready} only when a critical one does (for probes: an API without Temporal or storage
 * still serves reads, so it must stay in its Service and must not be restarted). Dropwizard's own
 * servlet answers 500 for either, which a probe cannot tell from a crash.
 */
final class HealthServlet extends HttpServlet {
  static final String ALL = "/healthcheck";
  static final String READY = "/ready";

  private final HealthCheckRegistry checks;
  private final Set<String> critical;
  private final ExecutorService executor;
  private final ObjectMapper json;

  HealthServlet(
      HealthCheckRegistry checks,
      Set<String> critical,
      ExecutorService executor,
      ObjectMapper json) {
    this.checks = checks;
    this.critical = Set.copyOf(critical);
    this.executor = executor;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean readiness = READY.equals(request.getServletPath());
    SortedMap<String, Result> results = checks.runHealthChecks(executor);
    ObjectNode body = json.createObjectNode();
    boolean failing = false;
    for (Map.Entry<String, Result> check : results.entrySet()) {
      Result result = check.getValue();
      boolean isCritical = critical.contains(check.getKey());
      ObjectNode entry = body.putObject(check.getKey());
      entry.put("healthy", result.isHealthy());
      entry.put("critical", isCritical);
      if (result.getMessage() != null) {
        entry.put("message", result.getMessage());
      } else if (result.getError() != null) {
        entry.put("message", result.getError().toString());
      }
      if (!result.isHealthy() && (isCritical || !readiness)) {
        failing = true;
      }
    }
    response.setStatus(failing ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : 200);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
    json.writeValue(response.getOutputStream(), body);
  }
}
