package dev.trainyard.api.explain;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.logs.LogParams;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/jobs/{id}/explain}: why a job failed, or why it is still running. */
@Path("/v1/jobs/{id: " + JobIdPath.DIGITS + "}/explain")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.JOBS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class ExplainResource {
  static final int DEFAULT_EVENTS = 10;
  static final int MAX_EVENTS = 100;
  static final int DEFAULT_TAIL = 20;

  private final ExplainService explanations;

  public ExplainResource(ExplainService explanations) {
    this.explanations = explanations;
  }

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "explainJob",
      summary = "Why a job failed, or what it waits for now (viewer)",
      description =
          "The status and failure reason in words, the timeline of status changes, the last"
              + " events and log lines, the deadline or activity the workflow waits on, its"
              + " pending activities with their attempts, and links to the Temporal UI and MLflow."
              + " When Temporal cannot be asked the answer still comes, from the database, and"
              + " `temporal.reachable` is false.")
  @ApiResponse(
      responseCode = "200",
      description = "The explanation",
      content = @Content(schema = @Schema(implementation = Explanation.class)))
  public Explanation explain(
      @Auth UserPrincipal caller,
      @PathParam("id") long id,
      @Parameter(
              description = "How many of the last events (default 10)",
              schema = @Schema(type = "integer", minimum = "1", maximum = "100"))
          @QueryParam("events")
          String events,
      @Parameter(
              description = "How many of the trainer log's last lines (default 20)",
              schema = @Schema(type = "integer", minimum = "1", maximum = "10000"))
          @QueryParam("tail")
          String tail) {
    return explanations.explain(
        caller,
        id,
        count("events", events, DEFAULT_EVENTS, MAX_EVENTS),
        tail == null || tail.isEmpty() ? DEFAULT_TAIL : LogParams.tail(tail));
  }

  /**
   * Parsed by hand, so a bad value is a 400 naming it rather than Jersey's bare 404; {@code tail}
   * as the logs route reads it.
   */
  private static int count(String name, String raw, int fallback, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InvalidRequestException.field(name, "must be an integer from 1 to " + max);
  }
}
