package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.workflows.messages.JobTimeouts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A correctly signed token is still refused when its lifetime is not one the launcher mints: {@code
 * iat} and {@code exp} are integer seconds, {@code iat} is not in the future, and {@code exp - iat}
 * is at most the longest lifetime a job's timeouts give its token.
 */
class TokenLifetimeTest extends ApiTest {
  private static final long MAX = JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS;
  private static long jobId;
  private static String traceId;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
  }

  /** Name, then the {@code iat} and {@code exp} members exactly as the token's JSON has them. */
  static Stream<Arguments> hostileLifetimes() {
    long now = Instant.now().getEpochSecond();
    return Stream.of(
        Arguments.of("exp in the year 9999", "\"iat\":" + now, "\"exp\":253402300799"),
        Arguments.of("exp as a string", "\"iat\":" + now, "\"exp\":\"" + (now + 3600) + "\""),
        Arguments.of("exp as a float", "\"iat\":" + now, "\"exp\":" + (now + 3600) + ".5"),
        Arguments.of("exp as an exponent", "\"iat\":" + now, "\"exp\":" + (now + 3600) + "e0"),
        Arguments.of("iat as a string", "\"iat\":\"" + now + "\"", "\"exp\":" + (now + 3600)),
        Arguments.of("iat as a float", "\"iat\":" + now + ".0", "\"exp\":" + (now + 3600)),
        Arguments.of(
            "iat a year in the future",
            "\"iat\":" + (now + 365 * 86400),
            "\"exp\":" + (now + 365 * 86400 + 3600)),
        Arguments.of("no iat", "\"nbf\":" + now, "\"exp\":" + (now + 3600)),
        Arguments.of(
            "a lifetime one second over the longest minted",
            "\"iat\":" + (now - 10),
            "\"exp\":" + (now - 10 + MAX + 1)));
  }

  static Stream<Arguments> cases() {
    return hostileLifetimes()
        .flatMap(
            a ->
                Stream.of("heartbeat", "event", "done")
                    .map(call -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], call)));
  }

  @ParameterizedTest(name = "{0} on {3}")
  @MethodSource("cases")
  void refusedWith401AndChangesNothing(String name, String iat, String exp, String call) {
    JobSnapshot before = snapshot(jobId);

    Http.Reply reply = call(call, sign(claims(iat, exp)));

    JsonNode problem = assertProblem(reply, 401);
    assertThat(problem.get("detail").asText()).startsWith("Invalid token");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @Test
  void theLongestLifetimeTheLauncherMintsIsAccepted() {
    long now = Instant.now().getEpochSecond();
    Http.Reply reply = call("heartbeat", sign(claims("\"iat\":" + now, "\"exp\":" + (now + MAX))));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
  }

  @Test
  void anIatSecondsAheadOfTheApiClockIsAccepted() {
    long now = Instant.now().getEpochSecond();
    Http.Reply reply =
        call("heartbeat", sign(claims("\"iat\":" + (now + 20), "\"exp\":" + (now + 3600))));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
  }

  private static Http.Reply call(String call, String token) {
    String body =
        switch (call) {
          case "heartbeat" -> Http.json(Map.of("trace_id", traceId, "epoch", 1, "progress", 10));
          case "event" ->
              Http.json(
                  Map.of("trace_id", traceId, "level", "info", "event_type", "x", "message", "m"));
          default -> Http.json(Map.of("trace_id", traceId, "status", "failed"));
        };
    return http().post("/v1/jobs/" + jobId + "/" + call, body, "Authorization", "Bearer " + token);
  }

  private static String claims(String iat, String exp) {
    return "{\"job_id\":" + jobId + ",\"scope\":\"training-callback\"," + iat + "," + exp + "}";
  }

  /** An HS256 token over exactly these claims, signed with the API's key. */
  private static String sign(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(TestStack.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput
          + "."
          + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
