package dev.trainyard.bench.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.bench.stack.BenchAccess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The job every bench run and fault test submits: a valid spec for the simulated runtime. */
public final class BenchJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Submits wait this long: a bench API admitting thousands of jobs answers slower than usual. */
  public static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  private BenchJob() {}

  /** The user-API client the bench submits and polls with, sending {@code apiKey}. */
  public static ApiClient client(String apiUrl, String apiKey) {
    return new ApiClient(apiUrl, JSON, API_TIMEOUT, apiKey);
  }

  /** The spec; override any field with {@code extra}. */
  public static ObjectNode spec(int heartbeatTimeoutSeconds, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("framework", "simulated");
    body.put("model_name", "bench-net");
    body.put("dataset_id", "bench-data");
    body.put("epochs", 10);
    body.put("batch_size", 32);
    body.put("learning_rate", 0.001);
    body.put("project_id", BenchAccess.PROJECT);
    body.put("heartbeat_timeout_seconds", heartbeatTimeoutSeconds);
    body.put("startup_timeout_seconds", 600);
    body.put("max_runtime_seconds", 86_400);
    body.put("cancel_grace_seconds", 5);
    body.putAll(extra);
    return JSON.valueToTree(body);
  }

  /** Submits the spec; returns the new job's id (a refusal throws, see {@link ApiClient}). */
  public static long submit(ApiClient api, int heartbeatTimeoutSeconds) {
    return api.submit(spec(heartbeatTimeoutSeconds, Map.of()), null).get("job_id").asLong();
  }
}
