package dev.trainyard.api.auth;

import dev.trainyard.api.errors.InvalidTokenException;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * Reads the token from {@code Authorization: Bearer} only. Dropwizard's OAuth filter would also
 * take {@code ?access_token=}, which puts the token into request logs; trainers never need that. A
 * request with two Authorization headers is refused whatever they hold: which one counts would
 * otherwise depend on who reads them (the heartbeat fast path applies the same rule).
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerTokenAuthFilter extends AuthFilter<String, CallbackPrincipal> {
  private static final String SCHEME = "bearer ";
  private static final String ONE_HEADER = "Invalid token: send exactly one Authorization header";

  @Override
  public void filter(ContainerRequestContext request) {
    List<String> headers = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (headers != null && headers.size() > 1) {
      throw new InvalidTokenException(ONE_HEADER);
    }
    String header = headers == null ? null : headers.get(0);
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
    String token = header.substring(SCHEME.length()).trim();
    if (token.isEmpty() || !authenticate(request, token, "Bearer")) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
  }

  public static final class Builder
      extends AuthFilterBuilder<String, CallbackPrincipal, BearerTokenAuthFilter> {
    @Override
    protected BearerTokenAuthFilter newInstance() {
      return new BearerTokenAuthFilter();
    }
  }
}
