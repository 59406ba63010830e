package dev.trainyard.app.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted trainer against a recording callback server: it must speak the seed's contract
 * exactly (paths, bearer token, trace id, bodies), retry what a retry can fix, and stop cleanly.
 */
class ScriptedTrainerContractTest {
  private static final Path SCRIPT =
      Path.of("..", "examples", "scripted-trainer", "scripted_trainer.py")
          .toAbsolutePath()
          .normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  record Call(String endpoint, String authorization, JsonNode body) {}

  @TempDir Path dir;
  private HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger doneFailuresLeft = new AtomicInteger();
  private volatile boolean shouldContinue = true;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/jobs/41/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String endpoint = path.substring(path.lastIndexOf('/') + 1);
          calls.add(
              new Call(
                  endpoint,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  JSON.readTree(exchange.getRequestBody())));
          int status = 200;
          String reply = "{\"status\":\"ok\"}";
          if (endpoint.equals("done") && doneFailuresLeft.getAndDecrement() > 0) {
            status = 503;
            reply = "{\"detail\":\"temporal unavailable\"}";
          } else if (endpoint.equals("heartbeat")) {
            reply = "{\"status\":\"ok\",\"should_continue\":" + shouldContinue + "}";
          }
          byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void trainsReportingEveryEpochAndRetriesDoneUntilAcknowledged() throws Exception {
    doneFailuresLeft.set(2);

    Process trainer = start(Map.of("seconds_per_epoch", 0.05), null);

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isZero();
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.authorization()).isEqualTo("Bearer the-token");
              assertThat(call.body().path("trace_id").asText()).isEqualTo("trace-41");
            });
    List<JsonNode> heartbeats = bodies("heartbeat");
    assertThat(heartbeats).extracting(h -> h.path("epoch").asInt()).containsExactly(1, 2, 3);
    assertThat(heartbeats).extracting(h -> h.path("total_epochs").asInt()).containsOnly(3);
    assertThat(heartbeats.get(2).path("progress").asDouble()).isEqualTo(100.0);
    assertThat(heartbeats)
        .extracting(h -> h.path("metrics").path("loss").asDouble())
        .isSortedAccordingTo((a, b) -> Double.compare(b, a))
        .doesNotHaveDuplicates();
    assertThat(heartbeats).allSatisfy(h -> assertThat(h.path("metrics").has("lr")).isTrue());
    assertThat(bodies("event"))
        .extracting(e -> e.path("event_type").asText())
        .containsSubsequence(
            "dataset_loaded",
            "model_initialized",
            "training_started",
            "epoch_completed",
            "epoch_completed",
            "epoch_completed",
            "training_completed");
    List<JsonNode> dones = bodies("done");
    assertThat(dones).hasSize(3); // two 503s, then acknowledged
    assertThat(dones)
        .allSatisfy(
            done -> {
              assertThat(done.path("status").asText()).isEqualTo("succeeded");
              assertThat(done.path("final_metrics").has("loss")).isTrue();
              assertThat(done.path("training_time_seconds").isInt()).isTrue();
            });
  }

  @Test
  void stopsAndReportsCancelledWhenTheBackendSaysSo() throws Exception {
    shouldContinue = false;

    Process trainer = start(Map.of("seconds_per_epoch", 0.05), null);

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isZero();
    assertThat(bodies("heartbeat")).hasSize(1);
    assertThat(bodies("done"))
        .singleElement()
        .satisfies(
            done -> {
              assertThat(done.path("status").asText()).isEqualTo("failed");
              assertThat(done.path("error").asText()).isEqualTo("cancelled");
            });
  }

  @Test
  void stopsAndReportsCancelledOnSigterm() throws Exception {
    Process trainer = start(Map.of("seconds_per_epoch", 0.2), null);
    await().atMost(Duration.ofSeconds(20)).until(() -> !bodies("heartbeat").isEmpty());

    trainer.destroy(); // SIGTERM

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isZero();
    assertThat(bodies("done"))
        .singleElement()
        .satisfies(done -> assertThat(done.path("error").asText()).isEqualTo("cancelled"));
    assertThat(bodies("event"))
        .anySatisfy(e -> assertThat(e.path("data").path("by").asText()).isEqualTo("signal"));
  }

  @Test
  void aMissingDatasetIsReportedAsAnErrorEventAndAFailedDone() throws Exception {
    Path datasets = Files.createDirectories(dir.resolve("datasets"));

    Process trainer = start(Map.of(), datasets);

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isEqualTo(2);
    assertThat(bodies("event"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path("level").asText()).isEqualTo("error");
              // Issue 12, item 8: the trainer's file system stays out of user-visible fields.
              assertThat(e.path("message").asText()).isEqualTo("dataset 'shapes' not found");
              assertThat(e.toString()).doesNotContain(datasets.toString());
            });
    assertThat(bodies("done"))
        .singleElement()
        .satisfies(
            done -> {
              assertThat(done.path("status").asText()).isEqualTo("failed");
              assertThat(done.path("error").asText()).isEqualTo("dataset 'shapes' not found");
            });
  }

  @Test
  void eventsCarryNoAbsolutePathOfTheDataset() throws Exception {
    Path datasets = Files.createDirectories(dir.resolve("datasets"));
    Files.createDirectories(datasets.resolve("shapes"));

    Process trainer = start(Map.of("seconds_per_epoch", 0.01), datasets);

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isZero();
    assertThat(bodies("event"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.toString()).doesNotContain(datasets.toString()));
  }

  @Test
  void crashModeSendsOneHeartbeatThenExitsWithCode3() throws Exception {
    Process trainer = start(Map.of("mode", "crash", "seconds_per_epoch", 0.05), null);

    assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(trainer.exitValue()).isEqualTo(3);
    assertThat(bodies("heartbeat")).hasSize(1);
    assertThat(bodies("done")).isEmpty();
    assertThat(Files.readString(dir.resolve("trainer.log"))).contains("simulated crash");
  }

  private Process start(Map<String, Object> hyperparameters, Path datasetRoot) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("python3", SCRIPT.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("trainer.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("JOB_ID", "41");
    env.put("TRACE_ID", "trace-41");
    env.put("BACKEND_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    env.put("CALLBACK_TOKEN", "the-token");
    env.put("DATASET_ID", "shapes");
    env.put("MODEL_NAME", "tiny");
    env.put("EPOCHS", "3");
    env.put("LEARNING_RATE", "0.01");
    env.put("HYPERPARAMETERS", JSON.writeValueAsString(hyperparameters));
    if (datasetRoot != null) {
      env.put("DATASET_ROOT", datasetRoot.toString());
    }
    return builder.start();
  }

  private List<JsonNode> bodies(String endpoint) {
    return calls.stream().filter(c -> c.endpoint().equals(endpoint)).map(Call::body).toList();
  }
}
