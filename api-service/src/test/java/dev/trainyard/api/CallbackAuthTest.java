package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every hostile way to present a callback token is refused, and refused without effect. */
class CallbackAuthTest extends ApiTest {
  private static long jobId;
  private static long otherJobId;
  private static String traceId;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    otherJobId = submitJob().get("job_id").asLong();
  }

  static Stream<Arguments> hostileAuthorizations() {
    return Stream.of(
        Arguments.of("missing header", null, 401, "Missing bearer token"),
        Arguments.of("basic scheme", "Basic dXNlcjpwYXNz", 401, "Missing bearer token"),
        Arguments.of("bare token", "TOKEN", 401, "Missing bearer token"),
        Arguments.of("empty bearer", "Bearer ", 401, "Missing bearer token"),
        Arguments.of("garbage", "Bearer not.a.jwt", 401, "Invalid token"),
        Arguments.of("alg none", "UNSIGNED", 401, "Invalid token"),
        Arguments.of("wrong key", "WRONG_KEY", 401, "Invalid token"),
        Arguments.of("expired", "EXPIRED", 401, "Token expired"),
        Arguments.of("wrong scope", "WRONG_SCOPE", 403, "scope"),
        Arguments.of("another job's token", "OTHER_JOB", 401, "Token job_id mismatch"));
  }

  @ParameterizedTest(name = "{0} on {4}")
  @MethodSource("cases")
  void refusedWithoutChangingAnything(
      String name, String authorization, int status, String detail, String endpoint) {
    JobSnapshot before = snapshot(jobId);
    String body =
        switch (endpoint) {
          case "heartbeat" ->
              Http.json(
                  Map.of(
                      "trace_id",
                      traceId,
                      "epoch",
                      1,
                      "progress",
                      10,
                      "metrics",
                      Map.of("loss", 1)));
          case "event" ->
              Http.json(
                  Map.of("trace_id", traceId, "level", "info", "event_type", "x", "message", "m"));
          default -> Http.json(Map.of("trace_id", traceId, "status", "succeeded"));
        };
    String header = resolve(authorization);
    Http.Reply reply =
        header == null
            ? http().post("/v1/jobs/" + jobId + "/" + endpoint, body)
            : http().post("/v1/jobs/" + jobId + "/" + endpoint, body, "Authorization", header);

    JsonNode problem = assertProblem(reply, status);
    assertThat(problem.get("detail").asText()).contains(detail);
    if (header != null && header.length() > 20) {
      assertThat(reply.body()).doesNotContain(header.substring(header.length() - 20));
    }
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  static Stream<Arguments> cases() {
    return hostileAuthorizations()
        .flatMap(
            a ->
                Stream.of("heartbeat", "event", "done")
                    .map(
                        endpoint ->
                            Arguments.of(
                                a.get()[0], a.get()[1], a.get()[2], a.get()[3], endpoint)));
  }

  @Test
  void tokenInTheQueryStringIsNotAccepted() {
    JobSnapshot before = snapshot(jobId);
    Http.Reply reply =
        http()
            .post(
                "/v1/jobs/" + jobId + "/heartbeat?access_token=" + Tokens.valid(jobId),
                Http.json(Map.of("trace_id", traceId)));
    assertProblem(reply, 401);
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  private static String resolve(String authorization) {
    if (authorization == null) {
      return null;
    }
    return switch (authorization) {
      case "TOKEN" -> Tokens.valid(jobId);
      case "UNSIGNED" -> Tokens.bearer(Tokens.unsigned(jobId));
      case "WRONG_KEY" ->
          Tokens.bearer(
              Tokens.signed(
                  jobId,
                  "training-callback",
                  Duration.ofHours(1),
                  "another-secret-of-at-least-32-bytes!!"));
      case "EXPIRED" ->
          Tokens.bearer(
              Tokens.signed(
                  jobId, "training-callback", Duration.ofMinutes(-5), TestStack.JWT_SECRET));
      case "WRONG_SCOPE" ->
          Tokens.bearer(Tokens.signed(jobId, "admin", Duration.ofHours(1), TestStack.JWT_SECRET));
      case "OTHER_JOB" -> Tokens.bearer(Tokens.valid(otherJobId));
      default -> authorization;
    };
  }
}
