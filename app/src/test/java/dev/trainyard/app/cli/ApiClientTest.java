package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user-API client that the CLI, the bench and the e2e suite share, against a stand-in API. */
class ApiClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final AtomicReference<String> lastRequest = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    lastRequest.set(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " key="
            + exchange.getRequestHeaders().getFirst("Idempotency-Key")
            + " auth="
            + exchange.getRequestHeaders().getFirst("Authorization")
            + " type="
            + exchange.getRequestHeaders().getFirst("Content-Type")
            + " body="
            + body);
    String path = exchange.getRequestURI().getPath();
    int status;
    String reply;
    if (path.equals("/v1/jobs") && exchange.getRequestMethod().equals("POST")) {
      status = 201;
      reply = "{\"job_id\":42,\"status\":\"pending\"}";
    } else if (path.equals("/v1/jobs/7")) {
      status = 422;
      reply =
          "{\"title\":\"Unprocessable Entity\",\"detail\":\"invalid job\","
              + "\"errors\":{\"epochs\":\"must be at least 1\"}}";
    } else if (path.equals("/slow")) {
      sleep(Duration.ofSeconds(1));
      status = 200;
      reply = "{}";
    } else {
      status = 404;
      reply = "{\"title\":\"Not Found\"}";
    }
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private ApiClient client(Duration timeout) {
    return new ApiClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", JSON, timeout);
  }

  @Test
  void submitsWithTheIdempotencyKeyAndReturnsTheReply() {
    var reply =
        client(ApiClient.DEFAULT_TIMEOUT).submit(JSON.createObjectNode().put("epochs", 3), "key-1");

    assertThat(reply.get("job_id").asLong()).isEqualTo(42);
    assertThat(lastRequest.get())
        .isEqualTo("POST /v1/jobs key=key-1 auth=null type=application/json body={\"epochs\":3}");
  }

  @Test
  void theListSendsOnlyTheFiltersThatAreSet() {
    ApiClient api = client(ApiClient.DEFAULT_TIMEOUT);

    assertThatThrownBy(() -> api.list("proj-1", null, "yolo v8.pt", "AB12", 5, null))
        .isInstanceOf(ApiException.class);
    assertThat(lastRequest.get())
        .startsWith("GET /v1/jobs?project=proj-1&model=yolo+v8.pt&q=AB12&limit=5 ");
  }

  @Test
  void aClientWithAKeySendsItOnEveryKindOfRequestAndSendOverridesIt() throws Exception {
    String key = "ty_abcdefghijk2_" + "x".repeat(43);
    ApiClient api = client(ApiClient.DEFAULT_TIMEOUT).withKey(key);

    api.submit(JSON.createObjectNode(), null);
    assertThat(lastRequest.get()).contains(" auth=Bearer " + key + " ");
    assertThatThrownBy(() -> api.job(7)).isInstanceOf(ApiException.class);
    assertThat(lastRequest.get()).startsWith("GET /v1/jobs/7 ").contains(" auth=Bearer " + key);
    assertThatThrownBy(() -> api.revokeKey("abcdefghijk2")).isInstanceOf(ApiException.class);
    assertThat(lastRequest.get()).startsWith("DELETE /v1/keys/abcdefghijk2 ").contains(key);
    api.send("GET", "/v1/whoami", null);
    assertThat(lastRequest.get()).contains(" auth=Bearer " + key);
    api.send("GET", "/v1/whoami", null, "Authorization", "Bearer other");
    assertThat(lastRequest.get()).contains(" auth=Bearer other ");
    assertThat(api.toString()).doesNotContain(key);
  }

  @Test
  void pathSegmentsAreEncodedSoAnIdCannotReachAnotherRoute() {
    ApiClient api = client(ApiClient.DEFAULT_TIMEOUT);

    assertThatThrownBy(() -> api.dataset("demo", "../../jobs/1?x=#"))
        .isInstanceOf(ApiException.class);

    assertThat(lastRequest.get())
        .startsWith("GET /v1/projects/demo/datasets/..%2F..%2Fjobs%2F1%3Fx%3D%23 ");
  }

  @Test
  void aProblemAnswerBecomesAnApiExceptionWithItsFieldErrors() {
    assertThatThrownBy(() -> client(ApiClient.DEFAULT_TIMEOUT).job(7))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.detail()).isEqualTo("invalid job");
              assertThat(e.fieldErrors()).containsEntry("epochs", "must be at least 1");
              assertThat(e.getMessage()).isEqualTo("HTTP 422 Unprocessable Entity: invalid job");
            });
  }

  @Test
  void sendPassesAnyRequestThroughAndReturnsTheAnswerAsItCame() {
    ApiReply reply =
        client(ApiClient.DEFAULT_TIMEOUT)
            .send("POST", "/v1/jobs/7/heartbeat", "{not json", "Authorization", "Bearer t");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEqualTo("{\"title\":\"Not Found\"}");
    assertThat(reply.contentType()).isEqualTo("application/problem+json");
    assertThat(lastRequest.get())
        .isEqualTo(
            "POST /v1/jobs/7/heartbeat key=null auth=Bearer t type=application/json"
                + " body={not json");
  }

  @Test
  void anAnswerSlowerThanTheTimeoutIsNoAnswer() {
    assertThatThrownBy(() -> client(Duration.ofMillis(300)).send("GET", "/slow", null))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageContaining("no answer in time");
    assertThat(client(Duration.ofSeconds(10)).send("GET", "/slow", null).status()).isEqualTo(200);
  }

  @Test
  void noServerIsUnreachableForRawRequestsToo() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(
            () -> new ApiClient("http://127.0.0.1:" + port, JSON).send("GET", "/v1/jobs", null))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageStartingWith("cannot reach the Trainyard API at http://127.0.0.1:" + port);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
