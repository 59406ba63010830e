package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import org.junit.jupiter.api.Test;

/** Requests Jetty refuses before the application runs still get problem+json with a reason. */
class JettyRejectionsTest extends ApiTest {

  @Test
  void aHeaderOverTheLimitIs431ProblemJson() {
    String huge = "Bearer " + "x".repeat(20_000);
    Http.Reply reply = http().post("/v1/jobs/1/heartbeat", "{}", "Authorization", huge);

    assertThat(reply.status()).isEqualTo(431);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("status").asInt()).isEqualTo(431);
    assertThat(reply.json().get("detail").asText()).contains("headers are too large");
    assertThat(reply.body()).doesNotContain("xxxxxxxx");
  }

  @Test
  void anAmbiguousPathIs400ProblemJson() {
    Http.Reply reply = http().get("/v1/jobs/%00");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("application/problem+json");
    assertThat(reply.json().get("detail").asText()).contains("malformed");
  }
}
