package dev.trainyard.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.trainyard.bench.sim.LatencyRecorder;
import dev.trainyard.bench.sim.Payloads;
import dev.trainyard.store.EmbeddedDatabase;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer: an MLflow tracking server ({@code mlflow server}, PostgreSQL backend store on an
 * embedded PostgreSQL like ours) taking the same metrics payload through its REST API's {@code
 * runs/log-batch}, one call per "heartbeat", from {@code clients} closed-loop clients for {@code
 * seconds}. Args: MLFLOW_BINARY RUNS CLIENTS SECONDS PAYLOAD_BYTES JSON_OUT.
 */
public final class MlflowPeer {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String mlflow = args[0];
    int runs = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int payloadBytes = Integer.parseInt(args[4]);
    Path data = Files.createTempDirectory("mlflow-peer-");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("postgres"), 0)) {
      int port;
      try (var socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      String store = "postgresql+psycopg2://postgres@localhost:" + db.port() + "/postgres";
      Process server =
          new ProcessBuilder(
                  mlflow,
                  "server",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--backend-store-uri",
                  store,
                  "--default-artifact-root",
                  data.resolve("artifacts").toUri().toString())
              .redirectErrorStream(true)
              .redirectOutput(data.resolve("mlflow.log").toFile())
              .start();
      try {
        waitForPort(port, server);
        String base = "http://127.0.0.1:" + port + "/api/2.0/mlflow/";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String experiment =
            post(http, base + "experiments/create", Map.of("name", "bench"))
                .get("experiment_id")
                .asText();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          runIds.add(
              post(http, base + "runs/create", Map.of("experiment_id", experiment))
                  .get("run")
                  .get("info")
                  .get("run_id")
                  .asText());
        }
        LatencyRecorder latency = new LatencyRecorder();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          workers.add(
              pool.submit(
                  () -> {
                    while (System.nanoTime() < end) {
                      int n = next.getAndIncrement();
                      List<Map<String, Object>> metrics = new ArrayList<>();
                      long now = System.currentTimeMillis();
                      Payloads.metrics(payloadBytes)
                          .forEach(
                              (k, v) ->
                                  metrics.add(
                                      Map.of("key", k, "value", v, "timestamp", now, "step", n)));
                      long sent = System.nanoTime();
                      try {
                        HttpResponse<String> r =
                            http.send(
                                request(
                                    base + "runs/log-batch",
                                    Map.of(
                                        "run_id",
                                        runIds.get(n % runIds.size()),
                                        "metrics",
                                        metrics)),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                          latency.record(System.nanoTime() - sent);
                          ok.increment();
                        } else {
                          failed.increment();
                        }
                      } catch (Exception e) {
                        failed.increment();
                      }
                    }
                  }));
        }
        for (Future<?> worker : workers) {
          worker.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(
            "mlflow", "mlflow server, PostgreSQL backend store (embedded, same as Trainyard's)");
        result.put("runs", runs);
        result.put("clients", clients);
        result.put("payload_bytes", payloadBytes);
        result.put("metrics_per_call", Payloads.metrics(payloadBytes).size());
        result.put("calls_ok", ok.sum());
        result.put("calls_failed", failed.sum());
        result.put("calls_per_second", ok.sum() / elapsed);
        result.put("latency_ms", latency.summary());
        result.put("load_average_after", Files.readString(Path.of("/proc/loadavg")).trim());
        String json =
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(result);
        System.out.println(json);
        Files.writeString(Path.of(args[5]), json);
      } finally {
        server.descendants().forEach(ProcessHandle::destroy);
        server.destroy();
        server.waitFor();
      }
    }
  }

  private static HttpRequest request(String url, Object body) throws Exception {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .build();
  }

  private static com.fasterxml.jackson.databind.JsonNode post(
      HttpClient http, String url, Object body) throws Exception {
    HttpResponse<String> r = http.send(request(url, body), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static void waitForPort(int port, Process server) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("mlflow server did not start", e);
        }
        Thread.sleep(500);
      }
    }
  }
}
