package dev.trainyard.api.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** A token's scope is its only role: {@code @RolesAllowed("training-callback")} checks it. */
public final class CallbackScopeAuthorizer implements Authorizer<CallbackPrincipal> {
  @Override
  public boolean authorize(
      CallbackPrincipal principal, String role, ContainerRequestContext request) {
    return role.equals(principal.scope());
  }
}
