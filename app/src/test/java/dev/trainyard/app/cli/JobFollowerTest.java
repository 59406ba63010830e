package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The follow loop and error handling against a scripted stand-in for the user API. */
class JobFollowerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What GET /v1/jobs/7 answers on each successive poll. */
  private static final List<String> JOB_STATES =
      List.of(
          job("pending", 0, 0),
          job("running", 1, 33.3),
          job("running", 2, 66.7),
          "{\"job_id\":7,\"status\":\"failed\",\"epochs\":3,\"current_epoch\":2,\"progress\":66.7,"
              + "\"failure_reason\":\"heartbeat_timeout\",\"error_message\":\"no heartbeat for 3 s\"}");

  private static final List<String> EVENTS =
      List.of(
          event(1, "pending", "queued"),
          event(2, "queued", "running"),
          "{\"id\":3,\"source\":\"trainer\",\"level\":\"warning\",\"event_type\":\"slow\",\"message\":\"disk is slow\"}",
          event(4, "running", "failed"));

  private HttpServer server;
  private final AtomicInteger polls = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String query = exchange.getRequestURI().getQuery();
          int status = 200;
          String body;
          if (path.equals("/v1/jobs/7")) {
            body = JOB_STATES.get(Math.min(polls.getAndIncrement(), JOB_STATES.size() - 1));
          } else if (path.equals("/v1/jobs/7/events")) {
            int visible = Math.min(polls.get() + 1, EVENTS.size());
            long after =
                query != null && query.contains("after=")
                    ? Long.parseLong(query.replaceAll(".*after=(\\d+).*", "$1"))
                    : 0;
            body =
                "{\"events\":["
                    + String.join(",", EVENTS.subList((int) after, Math.max((int) after, visible)))
                    + "]}";
          } else if (path.equals("/v1/jobs/7/metrics")) {
            body =
                polls.get() >= 2 && (query == null || !query.contains("after="))
                    ? "{\"metrics\":[{\"id\":1,\"epoch\":1,\"metrics\":{\"loss\":0.75}}]}"
                    : "{\"metrics\":[]}";
          } else {
            status = 404;
            body =
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"job 99 not found\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void showsEachTransitionOnceProgressAndTheFinalFailure() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    JsonNode end =
        new JobFollower(client(), new ProgressLine(out, false), Duration.ofMillis(1), false)
            .follow(7);

    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(end.path("status").asText()).isEqualTo("failed");
    assertThat(text.lines().filter(l -> l.startsWith("job 7:")).toList())
        .containsExactly(
            "job 7: pending",
            "job 7: pending -> queued",
            "job 7: queued -> running",
            "job 7: running -> failed");
    assertThat(text).contains("disk is slow").contains("epoch 2/3").contains("loss 0.7500");
    assertThat(JobText.outcome(end))
        .isEqualTo("job 7 failed (heartbeat_timeout): no heartbeat for 3 s");
  }

  @Test
  void anApiErrorCarriesTheProblemDetail() {
    assertThatThrownBy(() -> client().job(99))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.detail()).isEqualTo("job 99 not found");
              assertThat(e.hint()).contains("trainyard list");
            });
  }

  @Test
  void aStoppedApiSaysHowToStartIt() {
    int port = server.getAddress().getPort();
    server.stop(0);

    assertThatThrownBy(() -> new ApiClient("http://127.0.0.1:" + port, JSON).job(1))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageContaining("is the API running? start it with ./trainyard dev");
  }

  private ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), JSON);
  }

  private static String job(String status, int epoch, double progress) {
    return "{\"job_id\":7,\"status\":\""
        + status
        + "\",\"epochs\":3,\"current_epoch\":"
        + epoch
        + ",\"progress\":"
        + progress
        + "}";
  }

  private static String event(int id, String from, String to) {
    return "{\"id\":"
        + id
        + ",\"source\":\"trainyard\",\"level\":\"info\",\"event_type\":"
        + "\"status_changed\",\"message\":\"\",\"data\":{\"from\":\""
        + from
        + "\",\"to\":\""
        + to
        + "\"}}";
  }
}
