package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A NUL in a query parameter that names something (found by schemathesis): PostgreSQL refuses such
 * text outright, so a route that looked it up answered 500. Each is a 4xx problem now.
 */
class NulInQueryTest extends ApiTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/audit?project=a%00b",
        "/v1/jobs?project=a%00b",
        "/v1/jobs?model=a%00b",
        "/v1/jobs?q=a%00b",
        "/v1/jobs/stream?project=a%00b",
        "/v1/jobs/stream?model=a%00b",
        "/v1/jobs/stream?q=a%00b"
      })
  void isRefusedNotAServerError(String path) {
    Http.Reply reply = http().get(path);
    assertThat(reply.status()).as(path + ": " + reply).isBetween(400, 499);
    assertProblem(reply, reply.status());
  }
}
