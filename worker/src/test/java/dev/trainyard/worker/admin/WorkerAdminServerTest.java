package dev.trainyard.worker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.store.Database;
import dev.trainyard.store.EmbeddedDatabase;
import dev.trainyard.workflows.client.TemporalClients;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The worker's probes answer what they see: 200 with both services up, 503 naming the one that is
 * down (a stopped database, a Temporal port nobody serves), and nothing but GET on two paths.
 */
class WorkerAdminServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void healthIs200WhenBothAnswerAnd503NamingTheOneThatDoesNot() throws Exception {
    int temporalPort = freePort();
    try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(temporalPort);
        EmbeddedDatabase database = EmbeddedDatabase.startTemporary()) {
      WorkflowServiceStubs up = TemporalClients.stubs("127.0.0.1:" + temporalPort);
      WorkflowServiceStubs down = TemporalClients.stubs("127.0.0.1:" + freePort());
      Jdbi jdbi = Database.connect(database.dataSource());
      try (WorkerHealth healthy = new WorkerHealth(up, jdbi);
          WorkerHealth noTemporal = new WorkerHealth(down, jdbi);
          WorkerAdminServer good = server(healthy);
          WorkerAdminServer bad = server(noTemporal)) {
        HttpResponse<String> ok = get(good.port(), "/healthcheck", "GET");
        HttpResponse<String> unavailable = get(bad.port(), "/healthcheck", "GET");

        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode both = JSON.readTree(ok.body());
        assertThat(both.path("temporal").path("healthy").asBoolean()).isTrue();
        assertThat(both.path("database").path("healthy").asBoolean()).isTrue();
        assertThat(unavailable.statusCode()).isEqualTo(503);
        JsonNode one = JSON.readTree(unavailable.body());
        assertThat(one.path("temporal").path("healthy").asBoolean()).isFalse();
        assertThat(one.path("temporal").path("message").asText()).isNotBlank();
        assertThat(one.path("database").path("healthy").asBoolean()).isTrue();

        database.close(); // PostgreSQL stops: the database check fails, within its timeout
        long started = System.nanoTime();
        HttpResponse<String> noDatabase = get(good.port(), "/healthcheck", "GET");
        assertThat(noDatabase.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(noDatabase.body()).path("database").path("healthy").asBoolean())
            .isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(WorkerHealth.TIMEOUT.multipliedBy(3));
      } finally {
        up.shutdownNow();
        down.shutdownNow();
      }
    }
  }

  @Test
  void metricsAreServedAsPrometheusTextAndOtherPathsAndMethodsAreRefused() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("trainyard.test.things", "kind", "a").increment(3);
    WorkflowServiceStubs stubs = TemporalClients.stubs("127.0.0.1:" + freePort());
    try (WorkerHealth health =
            new WorkerHealth(stubs, Jdbi.create("jdbc:postgresql://127.0.0.1:1/x"));
        WorkerAdminServer server = WorkerAdminServer.start("127.0.0.1", 0, health, registry)) {
      HttpResponse<String> metrics = get(server.port(), "/metrics", "GET");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("trainyard_test_things_total{kind=\"a\"} 3.0");
      assertThat(get(server.port(), "/metrics", "POST").statusCode()).isEqualTo(405);
      assertThat(get(server.port(), "/", "GET").statusCode()).isEqualTo(404);
      assertThat(get(server.port(), "/metrics/extra", "GET").statusCode()).isEqualTo(404);
      assertThat(get(server.port(), "/tasks/gc", "POST").statusCode()).isEqualTo(404);
    } finally {
      stubs.shutdownNow();
    }
  }

  private static WorkerAdminServer server(WorkerHealth health) throws Exception {
    return WorkerAdminServer.start(
        "127.0.0.1", 0, health, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  private static HttpResponse<String> get(int port, String path, String method) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
