package dev.trainyard.api.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.auth.CallbackPrincipal;
import dev.trainyard.api.auth.VerifiedTokenCache;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.http.ReplayableBodyRequest;
import dev.trainyard.api.http.Utf8BodyFilter;
import dev.trainyard.workflows.CallbackContract;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the one request that makes up nearly all callback traffic, a well-formed heartbeat from a
 * token the API has already verified, without the JAX-RS machinery, which cost more CPU per
 * heartbeat than the heartbeat's own work. It answers only when every check Jersey would make
 * passes (known unexpired token of this job with the callback scope, JSON content type, body within
 * the limit, the same strict ObjectMapper, the same validation) and the group commit applied the
 * heartbeat. Anything else, including every error, goes on to Jersey with the body intact, so the
 * answers and their reasons come from one place.
 */
public final class HeartbeatFastPath implements Filter {
  /**
   * The raw path, as the client wrote it: canonical digits only (the same rule as {@link
   * JobIdPath}; no sign, leading zero, matrix parameter or percent-escape), and at most 18 of them,
   * which always fit a long. Anything else goes on to Jersey, which answers it.
   */
  private static final Pattern HEARTBEAT_PATH =
      Pattern.compile("/v1/jobs/([1-9][0-9]{0,17})/heartbeat");

  private static final String BEARER = "Bearer ";

  /** Set on a request whose heartbeat the group commit was offered and did not apply. */
  static final String GROUP_COMMIT_TRIED = HeartbeatFastPath.class.getName() + ".groupCommitTried";

  private final VerifiedTokenCache tokens;
  private final CallbackService callbacks;
  private final ObjectMapper json;
  private final long maxBodyBytes;

  public HeartbeatFastPath(
      VerifiedTokenCache tokens, CallbackService callbacks, ObjectMapper json, long maxBodyBytes) {
    this.tokens = tokens;
    this.callbacks = callbacks;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void doFilter(
      ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    Long jobId = heartbeatJob(request);
    CallbackPrincipal caller =
        jobId == null || !isPlainJson(request) ? null : knownCaller(request, jobId);
    if (caller == null) {
      chain.doFilter(servletRequest, servletResponse);
      return;
    }
    byte[] body = request.getInputStream().readNBytes((int) request.getContentLengthLong());
    Optional<HeartbeatRequest> heartbeat = parse(body);
    Optional<CallbackReply> reply =
        heartbeat.flatMap(valid -> callbacks.tryGroupCommit(caller, valid));
    if (reply.isEmpty()) {
      if (heartbeat.isPresent()) {
        request.setAttribute(GROUP_COMMIT_TRIED, Boolean.TRUE);
      }
      chain.doFilter(new ReplayableBodyRequest(request, body), servletResponse);
      return;
    }
    byte[] answer = json.writeValueAsBytes(reply.get());
    HttpServletResponse response = (HttpServletResponse) servletResponse;
    response.setStatus(200);
    response.setContentType("application/json");
    response.setContentLength(answer.length);
    response.getOutputStream().write(answer);
  }

  private static Long heartbeatJob(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return null;
    }
    Matcher path = HEARTBEAT_PATH.matcher(request.getRequestURI());
    return path.matches() ? Long.valueOf(path.group(1)) : null;
  }

  /** A JSON body of a declared length within the limit, neither compressed nor chunked. */
  private boolean isPlainJson(HttpServletRequest request) {
    String type = request.getContentType();
    long length = request.getContentLengthLong();
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/json")
        && request.getHeader("Content-Encoding") == null
        && length > 0
        && length <= maxBodyBytes;
  }

  /**
   * The caller of one Authorization header holding a remembered token of this job (with the attempt
   * it was minted for); null otherwise, and two headers go on to be refused.
   */
  private CallbackPrincipal knownCaller(HttpServletRequest request, long jobId) {
    Enumeration<String> headers = request.getHeaders("Authorization");
    if (!headers.hasMoreElements()) {
      return null;
    }
    String authorization = headers.nextElement();
    if (headers.hasMoreElements() || !authorization.startsWith(BEARER)) {
      return null;
    }
    Optional<CallbackPrincipal> caller =
        tokens.remembered(authorization.substring(BEARER.length()).trim());
    return caller.isPresent()
            && caller.get().jobId() == jobId
            && CallbackContract.SCOPE.equals(caller.get().scope())
        ? caller.get()
        : null;
  }

  private Optional<HeartbeatRequest> parse(byte[] body) {
    if (!Utf8BodyFilter.isWellFormed(body)) {
      return Optional.empty(); // Jersey's Utf8BodyFilter refuses it, with the reason
    }
    try {
      HeartbeatRequest heartbeat = json.readValue(body, HeartbeatRequest.class);
      CallbackValidator.heartbeat(heartbeat);
      return Optional.of(heartbeat);
    } catch (IOException | RuntimeException refused) {
      return Optional.empty(); // Jersey will refuse it again, with the reason
    }
  }
}
