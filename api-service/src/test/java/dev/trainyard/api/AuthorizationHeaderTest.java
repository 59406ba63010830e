package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A callback carries exactly one Authorization header, on every callback and on the heartbeat fast
 * path too, even when the first header holds a token the API has already verified.
 */
class AuthorizationHeaderTest extends ApiTest {
  private static long jobId;
  private static String traceId;
  private static String token;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
    token = Tokens.bearer(Tokens.valid(jobId));
    Http.Reply first =
        http()
            .post(
                "/v1/jobs/" + jobId + "/heartbeat",
                Http.json(Map.of("trace_id", traceId, "epoch", 1)),
                "Authorization",
                token);
    assertThat(first.status()).as(first.toString()).isEqualTo(200); // the token is remembered
  }

  static Stream<Arguments> cases() {
    return Stream.of("SAME", "GARBAGE", "EMPTY")
        .flatMap(
            second ->
                Stream.of("heartbeat", "event", "done").map(call -> Arguments.of(call, second)));
  }

  @ParameterizedTest(name = "{0} with a second Authorization header: {1}")
  @MethodSource("cases")
  void twoAuthorizationHeadersAre401AndChangeNothing(String call, String second) {
    JobSnapshot before = snapshot(jobId);
    String secondValue =
        switch (second) {
          case "SAME" -> token;
          case "GARBAGE" -> "Bearer not.a.jwt";
          default -> "";
        };
    String body =
        switch (call) {
          case "heartbeat" -> Http.json(Map.of("trace_id", traceId, "epoch", 2, "progress", 20));
          case "event" ->
              Http.json(
                  Map.of("trace_id", traceId, "level", "info", "event_type", "x", "message", "m"));
          default -> Http.json(Map.of("trace_id", traceId, "status", "failed"));
        };
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    Http.Reply reply =
        new RawHttp(APP.getLocalPort())
            .send(
                "POST /v1/jobs/"
                    + jobId
                    + "/"
                    + call
                    + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + bytes.length
                    + "\r\nAuthorization: "
                    + token
                    + "\r\nAuthorization: "
                    + secondValue
                    + "\r\n",
                bytes);

    JsonNode problem = assertProblem(reply, 401);
    assertThat(problem.get("detail").asText()).contains("exactly one Authorization header");
    assertThat(reply.body()).doesNotContain(token.substring(token.length() - 20));
    assertThat(snapshot(jobId)).isEqualTo(before);
  }
}
