package dev.trainyard.api.openapi;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /openapi.json}: the API's description, open to anyone: it holds no data, and a client
 * needs it before it has a key.
 */
@Path("/openapi.json")
@Hidden
public final class OpenApiResource {
  private final ServedDocument document;

  OpenApiResource(ServedDocument document) {
    this.document = document;
  }

  @GET
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Response get() {
    return Response.ok(document.json()).header("Cache-Control", "no-cache").build();
  }
}
