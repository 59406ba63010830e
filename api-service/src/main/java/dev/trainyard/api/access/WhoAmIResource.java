package dev.trainyard.api.access;

import dev.trainyard.api.access.AccessViews.WhoAmI;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/whoami}: what the presented key is, so a holder can check it (login does). */
@Path("/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public final class WhoAmIResource {
  @GET
  @RolesAllowed(UserRoles.VIEWER)
  public WhoAmI whoami(@Auth UserPrincipal caller) {
    return new WhoAmI(
        caller.keyId(),
        caller.keyName(),
        caller.project(),
        caller.role().wireName(),
        AccessViews.iso(caller.expiresAt()));
  }
}
