package dev.trainyard.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.support.ApiTest;
import dev.trainyard.api.support.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files: open to all, typed, revalidated, and under a strict policy. */
class DashboardResourceTest extends ApiTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageIsServedWithoutAKeyUnderAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/js/main.js\">");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).startsWith("no-cache");
    assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void anUnchangedFileIsAnsweredNotModified() throws Exception {
    HttpResponse<String> first = get("/assets/js/main.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = get("/assets/js/main.js", "If-None-Match", etag);

    // module scripts must be served as JavaScript, or nosniff makes the browser refuse them
    assertThat(first.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void uPlotComesFromItsWebjar() throws Exception {
    assertThat(get("/assets/uplot/uPlot.esm.js").body()).contains("export { uPlot as default }");
    assertThat(get("/assets/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/assets/../test-api.yml",
        "/assets/%2e%2e/logback-test.xml",
        "/assets/dashboard/index.html",
        "/assets/js/missing.js",
        "/assets/META-INF/MANIFEST.MF",
        "/assets/dev/trainyard/api/TrainyardApiApplication.class",
      })
  void nothingElseOnTheClassPathIsReachable(String path) throws Exception {
    HttpResponse<String> reply = get(path);

    // 400: Jetty refuses an ambiguous path (an escaped dot segment) before any route
    assertThat(reply.statusCode()).isIn(400, 404);
    assertThat(reply.body()).doesNotContain("database", "jwtSecret");
  }

  @Test
  void theConfigurationNeedsAKeyAndNamesTheServedFrameworks() throws Exception {
    assertThat(Http.anonymous(APP.getLocalPort()).get("/v1/dashboard/config").status())
        .isEqualTo(401);

    JsonNode config = new ObjectMapper().readTree(http().get("/v1/dashboard/config").body());

    assertThat(config.path("temporal_namespace").asText()).isEqualTo("default");
    assertThat(config.path("frameworks").isArray()).isTrue();
  }
}
