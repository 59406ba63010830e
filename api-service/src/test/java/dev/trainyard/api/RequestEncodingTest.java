package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import dev.trainyard.api.support.RawHttp;
import dev.trainyard.api.support.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies are plain: a content coding (gzip included) is refused with 415, never inflated,
 * never read as if it were plain, never a 5xx; framing tricks are refused before the application.
 */
class RequestEncodingTest extends ApiTest {
  private static long jobId;
  private static String traceId;

  @BeforeAll
  static void submit() {
    JsonNode job = submitJob();
    jobId = job.get("job_id").asLong();
    traceId = job.get("trace_id").asText();
  }

  /** Each body-taking route: path, a valid body, whether it takes the callback token. */
  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("/v1/jobs", Http.json(validJob()), false),
        Arguments.of(
            "/v1/jobs/JOB/heartbeat",
            Http.json(Map.of("trace_id", "TRACE", "epoch", 1, "metrics", Map.of("loss", 1))),
            true),
        Arguments.of(
            "/v1/jobs/JOB/event",
            Http.json(
                Map.of("trace_id", "TRACE", "level", "info", "event_type", "x", "message", "m")),
            true),
        Arguments.of(
            "/v1/jobs/JOB/done", Http.json(Map.of("trace_id", "TRACE", "status", "failed")), true));
  }

  static Stream<Arguments> codingsOnRoutes() {
    return Stream.of("gzip", "br", "deflate", "compress", "x-unknown", "gzip, br", "identity, gzip")
        .flatMap(
            coding -> routes().map(r -> Arguments.of(coding, r.get()[0], r.get()[1], r.get()[2])));
  }

  @ParameterizedTest(name = "Content-Encoding: {0} with a plain body on {1}")
  @MethodSource("codingsOnRoutes")
  void aPlainBodyLabelledWithAContentCodingIs415AndChangesNothing(
      String coding, String route, String body, boolean callback) {
    JobSnapshot before = snapshot(jobId);
    long jobs = count("training_jobs");

    Http.Reply reply = post(route, fill(body), callback, coding);

    JsonNode problem = assertProblem(reply, 415);
    assertThat(problem.get("detail").asText()).contains("Content-Encoding");
    assertThat(problem.get("errors").has("Content-Encoding")).isTrue();
    assertThat(snapshot(jobId)).isEqualTo(before);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @ParameterizedTest(name = "a gzipped body on {0}")
  @MethodSource("routes")
  void aGzippedBodyIsRefusedNotInflated(String route, String body, boolean callback)
      throws IOException {
    JobSnapshot before = snapshot(jobId);
    long jobs = count("training_jobs");

    Http.Reply reply = post(route, gzip(fill(body)), callback, "gzip");

    assertProblem(reply, 415);
    assertThat(snapshot(jobId)).isEqualTo(before);
    assertThat(count("training_jobs")).isEqualTo(jobs);
  }

  @Test
  void aGzipBombIsRefusedWithoutBeingInflated() throws IOException {
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    Http.Reply reply = post("/v1/jobs/JOB/heartbeat", bomb, true, "gzip");
    assertProblem(reply, 415);
  }

  @Test
  void identityIsThePlainBody() {
    Http.Reply reply =
        post(
            "/v1/jobs/JOB/heartbeat",
            Http.json(Map.of("trace_id", traceId, "epoch", 1)).getBytes(StandardCharsets.UTF_8),
            true,
            "identity");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Content-Length: 40\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: xchunked\r\n",
        "Transfer-Encoding: identity\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: 40\r\nContent-Length: 41\r\n",
        "Content-Length: +40\r\n",
      })
  void aFramingTrickOnAHeartbeatIs4xxAndChangesNothing(String framing) {
    JobSnapshot before = snapshot(jobId);
    String json = Http.json(Map.of("trace_id", traceId, "epoch", 7, "progress", 50));
    String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";

    Http.Reply reply =
        new RawHttp(APP.getLocalPort())
            .send(
                "POST /v1/jobs/"
                    + jobId
                    + "/heartbeat HTTP/1.1\r\n"
                    + "Host: localhost\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Authorization: "
                    + Tokens.bearer(Tokens.valid(jobId))
                    + "\r\n"
                    + framing,
                chunked);

    assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(snapshot(jobId)).isEqualTo(before);
  }

  private static Http.Reply post(String route, byte[] body, boolean callback, String coding) {
    String path = route.replace("JOB", Long.toString(jobId));
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\nContent-Encoding: "
            + coding
            + "\r\n"
            + (callback ? "Authorization: " + Tokens.bearer(Tokens.valid(jobId)) + "\r\n" : "");
    return new RawHttp(APP.getLocalPort()).send(head, body);
  }

  private static byte[] fill(String body) {
    return body.replace("TRACE", traceId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(plain);
    }
    return bytes.toByteArray();
  }
}
