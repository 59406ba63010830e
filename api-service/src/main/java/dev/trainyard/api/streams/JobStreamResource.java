package dev.trainyard.api.streams;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.jobs.JobFilter;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Live streams as Server-Sent Events: one job ({@code GET /v1/jobs/{id}/stream}) or the job list
 * ({@code GET /v1/jobs/stream}). docs/streams.md describes the messages and how to resume.
 */
@Path("/v1/jobs")
public final class JobStreamResource {
  static final String EVENT_STREAM = "text/event-stream";

  private final JobStreams streams;
  private final ProjectAccess projects;

  JobStreamResource(JobStreams streams, ProjectAccess projects) {
    this.streams = streams;
    this.projects = projects;
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/stream")
  @Produces(EVENT_STREAM)
  @RolesAllowed(UserRoles.VIEWER)
  public Response job(
      @Auth UserPrincipal caller,
      @PathParam("id") long jobId,
      @HeaderParam("Last-Event-ID") String lastEventId) {
    JobCursor cursor = JobCursor.parse(lastEventId);
    projects.requireJob(caller, jobId);
    return stream(streams.openJob(caller, jobId, cursor));
  }

  @GET
  @Path("stream")
  @Produces(EVENT_STREAM)
  @RolesAllowed(UserRoles.VIEWER)
  public Response list(
      @Auth UserPrincipal caller,
      @QueryParam("status") String status,
      @QueryParam("project") String project,
      @QueryParam("model") String model,
      @QueryParam("q") String q,
      @HeaderParam("Last-Event-ID") String lastEventId) {
    if (status != null) {
      throw InvalidRequestException.field(
          "status",
          "is not a stream filter: a job that leaves the status must still reach you; filter by"
              + " status on your side");
    }
    JobFilter filter = JobFilter.parse(null, project, model, q);
    if (filter.project() != null && !caller.canSee(filter.project())) {
      projects.requireProject(caller, filter.project()); // answers 404 as the project routes do
    }
    return stream(streams.openList(caller, filter, ListCursor.resumeFrom(lastEventId)));
  }

  private static Response stream(Object chunks) {
    return Response.ok(chunks, EVENT_STREAM)
        .header("Cache-Control", "no-cache")
        // proxies such as nginx buffer responses unless told not to
        .header("X-Accel-Buffering", "no")
        .build();
  }
}
