package dev.trainyard.api.callbacks;

import dev.trainyard.api.auth.CallbackPrincipal;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.workflows.CallbackContract;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * The trainer's callback API, wire-compatible with the seed. The bearer token is verified by the
 * auth filter and its scope by {@code @RolesAllowed} (403) before any body is read.
 */
@Path("/v1/jobs")
@RolesAllowed(CallbackContract.SCOPE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.CALLBACKS)
@SecurityRequirement(name = OpenApiDocument.CALLBACK_TOKEN)
@ApiResponse(
    responseCode = "400",
    description = "The body is invalid, or its trace_id is not the job's (Trace ID mismatch)")
@ApiResponse(
    responseCode = "401",
    description =
        "No token, a bad or expired one (or a bad attempt claim), or a token for another job")
@ApiResponse(responseCode = "403", description = "The token's scope is not training-callback")
@ApiResponse(responseCode = "404", description = "No such job")
@ApiResponse(
    responseCode = "409",
    description =
        "The job has already ended, or the token is of another attempt than the job's current one")
public final class CallbackResource {
  private final CallbackService callbacks;

  public CallbackResource(CallbackService callbacks) {
    this.callbacks = callbacks;
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/heartbeat")
  @Operation(
      operationId = "heartbeat",
      summary = "Progress and metrics",
      description = "Answers should_continue=false once the job was asked to cancel.")
  @ApiResponse(
      responseCode = "200",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = CallbackReply.class)))
  @ApiResponse(
      responseCode = "503",
      description = "The heartbeat could not be written in time, or a service is down; retry")
  public CallbackReply heartbeat(
      @Auth CallbackPrincipal caller,
      @PathParam("job_id") long jobId,
      HeartbeatRequest body,
      @Parameter(hidden = true) @Context ContainerRequestContext request) {
    boolean groupCommitTried = request.getProperty(HeartbeatFastPath.GROUP_COMMIT_TRIED) != null;
    return callbacks.heartbeat(caller, jobId, body, groupCommitTried);
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/event")
  @Operation(operationId = "event", summary = "An event for the job's timeline")
  @ApiResponse(
      responseCode = "200",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = CallbackReply.class)))
  public CallbackReply event(
      @Auth CallbackPrincipal caller, @PathParam("job_id") long jobId, EventRequest body) {
    return callbacks.event(caller, jobId, body);
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/done")
  @Operation(
      operationId = "done",
      summary = "The trainer's final report",
      description =
          "Ends the job succeeded or failed (cancelled, after a cancel request). An identical"
              + " retry is answered ok; a different second report is a conflict (409).")
  @ApiResponse(
      responseCode = "200",
      description = "Recorded",
      content = @Content(schema = @Schema(implementation = CallbackReply.class)))
  public CallbackReply done(
      @Auth CallbackPrincipal caller, @PathParam("job_id") long jobId, DoneRequest body) {
    return callbacks.done(caller, jobId, body);
  }
}
