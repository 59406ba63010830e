package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.Tokens;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A job id in a path is canonical decimal: a sign, a leading zero or a matrix parameter names no
 * job (404) on every route that takes an id, the heartbeat fast path included, and changes nothing.
 */
class PathIdTest extends ApiTest {
  private static long jobId;
  private static String traceId;
  private static String token;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    token = Tokens.bearer(Tokens.valid(jobId));
    // the token is now remembered: a heartbeat for this job may be answered by the fast path
    Http.Reply first = callback("/v1/jobs/" + jobId + "/heartbeat", heartbeat());
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
  }

  /** Method and path of each route with a job id; ID stands for the id as written. */
  static Stream<String> routes() {
    return Stream.of(
        "GET /v1/jobs/ID",
        "POST /v1/jobs/ID/cancel",
        "GET /v1/jobs/ID/events",
        "GET /v1/jobs/ID/metrics",
        "GET /v1/jobs/ID/logs",
        "GET /v1/jobs/ID/artifacts",
        "GET /v1/jobs/ID/artifacts/best.pt",
        "POST /v1/jobs/ID/heartbeat",
        "POST /v1/jobs/ID/event",
        "POST /v1/jobs/ID/done");
  }

  static Stream<Arguments> nonCanonicalIds() {
    return Stream.of("+ID", "0ID", "00ID", "ID;x=y", "ID;", "%2BID", "%30ID", "ID%3Bx=y")
        .flatMap(id -> routes().map(route -> Arguments.of(route, id)));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("nonCanonicalIds")
  void aNonCanonicalIdIs404AndChangesNothing(String route, String id) {
    JobSnapshot before = snapshot(jobId);
    String written = id.replace("ID", Long.toString(jobId));
    String[] parts = route.replace("ID", written).split(" ");

    Http.Reply reply = send(parts[0], parts[1]);

    assertProblem(reply, 404);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void anIdBeyondTheLongRangeIs404() {
    for (String route : routes().toList()) {
      String[] parts = route.replace("ID", "9223372036854775808").split(" ");
      assertProblem(send(parts[0], parts[1]), 404);
    }
  }

  @Test
  void theCanonicalIdStillServesTheJob() {
    Http.Reply reply = http().get("/v1/jobs/" + jobId);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("job_id").asLong()).isEqualTo(jobId);
    Http.Reply heartbeat = callback("/v1/jobs/" + jobId + "/heartbeat", heartbeat());
    assertThat(heartbeat.status()).as(heartbeat.toString()).isEqualTo(200);
  }

  private static Http.Reply send(String method, String path) {
    if (method.equals("GET")) {
      return http().get(path);
    }
    if (path.endsWith("/cancel")) {
      return http().post(path, "");
    }
    String body =
        switch (path.substring(path.lastIndexOf('/') + 1)) {
          case "heartbeat" -> heartbeat();
          case "event" ->
              Http.json(
                  Map.of("trace_id", traceId, "level", "info", "event_type", "x", "message", "m"));
          default -> Http.json(Map.of("trace_id", traceId, "status", "failed"));
        };
    return callback(path, body);
  }

  private static String heartbeat() {
    return Http.json(Map.of("trace_id", traceId, "epoch", 1, "progress", 10));
  }

  private static Http.Reply callback(String path, String body) {
    return http().post(path, body, "Authorization", token);
  }
}
