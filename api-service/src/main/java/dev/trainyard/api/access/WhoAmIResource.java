package dev.trainyard.api.access;

import dev.trainyard.api.access.AccessViews.WhoAmI;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/whoami}: what the presented key is, so a holder can check it (login does). */
@Path("/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.ACCESS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class WhoAmIResource {
  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "whoami", summary = "The key this request was made with (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The key's id, name, project and role",
      content = @Content(schema = @Schema(implementation = WhoAmI.class)))
  public WhoAmI whoami(@Auth UserPrincipal caller) {
    return new WhoAmI(
        caller.keyId(),
        caller.keyName(),
        caller.project(),
        caller.role().wireName(),
        AccessViews.iso(caller.expiresAt()));
  }
}
