package dev.trainyard.api.access;

import dev.trainyard.api.access.AccessViews.CreateKeyRequest;
import dev.trainyard.api.access.AccessViews.KeyList;
import dev.trainyard.api.access.AccessViews.KeyView;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.jobs.FieldErrors;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.store.access.ApiKeyDao;
import dev.trainyard.store.access.ApiKeyFormat;
import dev.trainyard.store.access.ApiKeyRecord;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.IssuedKey;
import dev.trainyard.store.access.Role;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * A project's API keys, managed by its admins (or a global admin): create (the reply is the only
 * place the key ever appears), list (never the key or its hash), revoke.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(UserRoles.ADMIN)
@Tag(name = Tags.ACCESS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class KeysResource {
  /** Ten years: a longer-lived key is one nobody remembers to rotate. */
  static final long MAX_EXPIRES_IN_SECONDS = 10L * 366 * 24 * 3600;

  private final Jdbi jdbi;
  private final ProjectAccess access;
  private final AuditTrail audit;
  private final Clock clock;

  public KeysResource(Jdbi jdbi, ProjectAccess access, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  @POST
  @Path("projects/{project}/keys")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createKey",
      summary = "Create an API key in a project (admin)",
      description = "The reply is the only place the key ever appears: keep it.")
  @ApiResponse(
      responseCode = "201",
      description = "The key, with `key` set",
      content = @Content(schema = @Schema(implementation = KeyView.class)))
  public Response create(
      @Auth UserPrincipal caller, @PathParam("project") String project, CreateKeyRequest request) {
    access.requireProject(caller, project);
    if (request == null) {
      throw new InvalidRequestException("the request body must be a JSON object");
    }
    FieldErrors errors = new FieldErrors();
    errors.text(
        "name",
        request.name(),
        ApiKeys.NAME,
        "must be 1 to 64 letters, digits, spaces or ._@- (starting with a letter or digit)",
        true);
    Role role = null;
    if (request.role() == null) {
      errors.add("role", "is required (" + AccessViews.roleNames() + ")");
    } else {
      role = Role.fromWire(request.role()).orElse(null);
      if (role == null) {
        errors.add("role", "must be one of " + AccessViews.roleNames());
      }
    }
    errors.range(
        "expires_in_seconds", request.expiresInSeconds(), 60, MAX_EXPIRES_IN_SECONDS, false);
    errors.throwIfAny();
    Instant expiresAt =
        request.expiresInSeconds() == null
            ? null
            : clock.instant().plusSeconds(request.expiresInSeconds());
    // ApiKeys.issue audits the creation itself, in the transaction that makes the key
    IssuedKey issued =
        ApiKeys.issue(jdbi, request.name(), project, role, expiresAt, caller.keyId());
    return Response.status(201).entity(KeyView.withKey(issued.record(), issued.key())).build();
  }

  @GET
  @Path("projects/{project}/keys")
  @Operation(operationId = "listKeys", summary = "A project's API keys, never the keys (admin)")
  @ApiResponse(
      responseCode = "200",
      description = "The keys",
      content = @Content(schema = @Schema(implementation = KeyList.class)))
  public KeyList list(@Auth UserPrincipal caller, @PathParam("project") String project) {
    access.requireProject(caller, project);
    return new KeyList(
        jdbi.withExtension(ApiKeyDao.class, keys -> keys.inProject(project)).stream()
            .map(KeyView::of)
            .toList());
  }

  @DELETE
  @Path("keys/{key_id}")
  @Operation(
      operationId = "revokeKey",
      summary = "Revoke an API key (admin)",
      description = "Revoking a revoked key changes nothing and answers the same.")
  @ApiResponse(
      responseCode = "200",
      description = "The revoked key",
      content = @Content(schema = @Schema(implementation = KeyView.class)))
  public KeyView revoke(@Auth UserPrincipal caller, @PathParam("key_id") String keyId) {
    if (!ApiKeyFormat.KEY_ID.matcher(keyId).matches()) {
      // never echoed: what was sent may be a whole key, which no reply may carry
      throw new ApiException(
          404, "no such key id (a key id is the 12 characters after ty_, as keys list shows)");
    }
    ApiKeyDao keys = jdbi.onDemand(ApiKeyDao.class);
    ApiKeyRecord key =
        keys.find(keyId)
            .filter(
                found -> found.isGlobal() ? caller.isGlobalAdmin() : caller.canSee(found.project()))
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "key '" + keyId + "' not found (or not visible to this key)"));
    if (key.revokedAt() == null) {
      keys.revoke(keyId, caller.keyId());
      audit.record(caller, "key.revoke", key.project(), keyId, Map.of());
    }
    return KeyView.of(keys.find(keyId).orElseThrow());
  }
}
