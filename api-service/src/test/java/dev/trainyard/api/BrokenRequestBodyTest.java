package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies broken below JSON (found by bench's HostileInputFuzzTest): an overlong UTF-8 sequence that
 * Jackson would decode into the character it disguises, chunk framing Jetty cannot parse, a body
 * that ends before its Content-Length, and two Authorization headers on a route without
 * authentication. Each is a 4xx problem that changes nothing, never a 500 or a stored value.
 */
class BrokenRequestBodyTest extends ApiTest {
  private static long jobId;
  private static String traceId;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
  }

  @Test
  void anOverlongUtf8SequenceInASubmitIsRefused() {
    long jobs = count("training_jobs");
    Map<String, Object> job = validJob();
    job.put("hyperparameters", Map.of("path", "a" + SLASH + "b"));

    Http.Reply reply = post("/v1/jobs", overlong(Http.json(job)), false);

    assertProblem(reply, 400, "not valid UTF-8");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void anOverlongUtf8SequenceInAHeartbeatIsRefusedOnTheFastPathToo() {
    JobSnapshot before = snapshot(jobId);
    byte[] body =
        overlong(
            Http.json(
                Map.of("trace_id", traceId, "epoch", 1, "metrics", Map.of("a" + SLASH + "b", 1))));
    // the first heartbeat caches the token, so the second is offered to the fast path
    post("/v1/jobs/" + jobId + "/heartbeat", body, true);

    Http.Reply reply = post("/v1/jobs/" + jobId + "/heartbeat", body, true);

    assertProblem(reply, 400, "not valid UTF-8");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz", "10000000000000000"})
  void chunkFramingJettyCannotParseIs400(String chunkSize) {
    long jobs = count("training_jobs");
    String json = Http.json(validJob());

    Http.Reply reply =
        raw()
            .send(
                "POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n",
                (chunkSize + "\r\n" + json + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));

    assertProblem(reply, 400, "chunks are malformed");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void aBodyShorterThanItsContentLengthIs400() {
    long jobs = count("training_jobs");
    byte[] json = Http.json(validJob()).getBytes(StandardCharsets.UTF_8);

    Http.Reply reply =
        raw()
            .sendThenClose(
                "POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + (json.length + 100)
                    + "\r\n",
                json);

    assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void twoAuthorizationHeadersAreRefusedOnAUserRouteToo() {
    long jobs = count("training_jobs");
    byte[] json = Http.json(validJob()).getBytes(StandardCharsets.UTF_8);

    Http.Reply reply =
        raw()
            .send(
                "POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + json.length
                    + "\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n",
                json);

    assertProblem(reply, 401, "exactly one Authorization header");
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  private static void assertProblem(Http.Reply reply, int status, String detail) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.body()).contains(detail);
  }

  private static Http.Reply post(String path, byte[] body, boolean callback) {
    return raw()
        .send(
            "POST "
                + path
                + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n"
                + (callback ? "Authorization: " + Tokens.bearer(Tokens.valid(jobId)) + "\r\n" : ""),
            body);
  }

  private static RawHttp raw() {
    return new RawHttp(APP.getLocalPort());
  }

  /** Stands for "/" until {@link #overlong} writes it as C0 AF, the overlong form of "/". */
  private static final String SLASH = "~";

  private static byte[] overlong(String json) {
    String[] halves = json.split(SLASH, 2);
    return concat(
        halves[0].getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xC0, (byte) 0xAF},
        halves[1].getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
