package dev.trainyard.api.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.security.Principal;
import java.util.Locale;

/**
 * Reads the credential from {@code Authorization: Bearer} only: a trainer's callback token or a
 * user's API key, each checked by its own authenticator. Dropwizard's OAuth filter would also take
 * {@code ?access_token=}, which puts the token into request logs; trainers never need that. A
 * request with two Authorization headers never gets here ({@code
 * http.OneAuthorizationHeaderFilter}).
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerTokenAuthFilter<P extends Principal> extends AuthFilter<String, P> {
  private static final String SCHEME = "bearer ";

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
    String token = header.substring(SCHEME.length()).trim();
    if (token.isEmpty() || !authenticate(request, token, "Bearer")) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
  }

  public static final class Builder<P extends Principal>
      extends AuthFilterBuilder<String, P, BearerTokenAuthFilter<P>> {
    @Override
    protected BearerTokenAuthFilter<P> newInstance() {
      return new BearerTokenAuthFilter<>();
    }
  }
}
