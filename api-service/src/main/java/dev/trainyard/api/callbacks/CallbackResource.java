package dev.trainyard.api.callbacks;

import dev.trainyard.api.auth.CallbackPrincipal;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.workflows.CallbackContract;
import io.dropwizard.auth.Auth;
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
public final class CallbackResource {
  private final CallbackService callbacks;

  public CallbackResource(CallbackService callbacks) {
    this.callbacks = callbacks;
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/heartbeat")
  public CallbackReply heartbeat(
      @Auth CallbackPrincipal caller,
      @PathParam("job_id") long jobId,
      HeartbeatRequest body,
      @Context ContainerRequestContext request) {
    boolean groupCommitTried = request.getProperty(HeartbeatFastPath.GROUP_COMMIT_TRIED) != null;
    return callbacks.heartbeat(caller, jobId, body, groupCommitTried);
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/event")
  public CallbackReply event(
      @Auth CallbackPrincipal caller, @PathParam("job_id") long jobId, EventRequest body) {
    return callbacks.event(caller, jobId, body);
  }

  @POST
  @Path("{job_id: " + JobIdPath.DIGITS + "}/done")
  public CallbackReply done(
      @Auth CallbackPrincipal caller, @PathParam("job_id") long jobId, DoneRequest body) {
    return callbacks.done(caller, jobId, body);
  }
}
