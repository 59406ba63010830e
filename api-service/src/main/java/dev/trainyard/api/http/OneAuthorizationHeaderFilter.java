package dev.trainyard.api.http;

import dev.trainyard.api.errors.InvalidTokenException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;

/**
 * At most one Authorization header, on every route: with two, which one counts would depend on who
 * reads them (a proxy, the heartbeat fast path, the token filter), so the request is refused
 * whatever they hold, 401 as for any other unusable credential. The fast path hands such a request
 * to Jersey, so this one rule covers it too.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class OneAuthorizationHeaderFilter implements ContainerRequestFilter {
  public static final String ONE_HEADER = "Invalid token: send exactly one Authorization header";

  @Override
  public void filter(ContainerRequestContext request) {
    List<String> headers = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (headers != null && headers.size() > 1) {
      throw new InvalidTokenException(ONE_HEADER);
    }
  }
}
