package dev.trainyard.api.http;

import dev.trainyard.api.errors.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies are plain bytes: no content coding (gzip included, see {@link ResponseOnlyGzip})
 * and no transfer coding but {@code chunked}. Jetty checks the framing itself (Content-Length with
 * Transfer-Encoding, a repeated or signed Content-Length, chunked not last: 400) but passes {@code
 * Transfer-Encoding: gzip, chunked} on after removing only the chunking, and any Content-Encoding
 * it does not inflate; both would be read as if the body were plain. Refused before routing and
 * before the body is read; the heartbeat fast path leaves every request with a Content-Encoding or
 * without a Content-Length to Jersey, so this covers it too.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class PlainBodyFilter implements ContainerRequestFilter {
  private static final String CONTENT_ENCODING = HttpHeaders.CONTENT_ENCODING;
  private static final String TRANSFER_ENCODING = "Transfer-Encoding";

  @Override
  public void filter(ContainerRequestContext request) {
    if (!onlyCodings(request.getHeaders().get(CONTENT_ENCODING), "identity")) {
      throw refusal(
          415,
          "Content-Encoding is not supported: send the request body uncompressed",
          CONTENT_ENCODING,
          "must be absent (or identity)");
    }
    if (!onlyCodings(request.getHeaders().get(TRANSFER_ENCODING), "chunked")) {
      throw refusal(
          400,
          "Transfer-Encoding other than chunked is not supported: send the body uncompressed",
          TRANSFER_ENCODING,
          "must be absent or chunked");
    }
  }

  /** True when every coding listed in {@code values} (comma-separated, any case) is {@code ok}. */
  private static boolean onlyCodings(List<String> values, String ok) {
    if (values == null) {
      return true;
    }
    for (String value : values) {
      for (String coding : value.split(",", -1)) {
        if (!coding.strip().toLowerCase(Locale.ROOT).equals(ok)) {
          return false;
        }
      }
    }
    return true;
  }

  private static WebApplicationException refusal(
      int status, String detail, String header, String reason) {
    Response.ResponseBuilder problem =
        Response.fromResponse(Problems.response(status, detail, Map.of(header, reason)));
    if (status == 415) {
      // RFC 7694: a 415 for a content coding names the codings the server does accept
      problem.header("Accept-Encoding", "identity");
    }
    return new WebApplicationException(problem.build());
  }
}
