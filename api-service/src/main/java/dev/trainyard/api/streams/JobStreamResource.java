package dev.trainyard.api.streams;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.jobs.JobFilter;
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
import jakarta.ws.rs.DefaultValue;
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
@Tag(name = Tags.JOBS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
@ApiResponse(
    responseCode = "503",
    description = "This replica serves as many streams as it may (userApi.maxStreamClients)")
public final class JobStreamResource {
  static final String EVENT_STREAM = "text/event-stream";

  private final JobStreams streams;
  private final ProjectAccess projects;
  private final JobLogFiles logFiles;

  JobStreamResource(JobStreams streams, ProjectAccess projects, JobLogFiles logFiles) {
    this.streams = streams;
    this.projects = projects;
    this.logFiles = logFiles;
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/stream")
  @Produces(EVENT_STREAM)
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "streamJob",
      summary = "One job, live, as Server-Sent Events (viewer)",
      description =
          "Messages `job` (the job, as GET /v1/jobs/{id}), `event`, `metric`, `log` (with logs=true)"
              + " and `end` (then the"
              + " server closes the stream); see docs/streams.md. Resume with the last `id:` seen"
              + " as Last-Event-ID.")
  @ApiResponse(
      responseCode = "200",
      description = "The stream; it ends after the `end` message",
      content = @Content(mediaType = EVENT_STREAM, schema = @Schema(type = "string")))
  public Response job(
      @Auth UserPrincipal caller,
      @PathParam("id") long jobId,
      @Parameter(
              description = "Also stream the trainer log (local trainers only)",
              schema = @Schema(type = "boolean"))
          @QueryParam("logs")
          @DefaultValue("false")
          String logsParam,
      @Parameter(
              description = "With logs=true: how many of the log's last lines come first",
              schema = @Schema(type = "integer", minimum = "1", maximum = "10000"))
          @QueryParam("tail")
          @DefaultValue("100")
          String tailParam,
      @Parameter(description = "Resume after this message id") @HeaderParam("Last-Event-ID")
          String lastEventId) {
    boolean logs = LogParams.flag("logs", logsParam);
    int tail = LogParams.tail(tailParam);
    JobCursor cursor = JobCursor.parse(lastEventId, logs);
    projects.requireJob(caller, jobId);
    if (logs) {
      logFiles.requireStreamable(jobId);
    }
    return stream(streams.openJob(caller, jobId, cursor, tail));
  }

  @GET
  @Path("stream")
  @Produces(EVENT_STREAM)
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "streamJobs",
      summary = "Jobs as they change, as Server-Sent Events (viewer)",
      description =
          "A `job` message (the job, as in GET /v1/jobs) for each job of the filter that changes;"
              + " `reset` asks the client to reload its list. The stream does not end by itself;"
              + " see docs/streams.md.")
  @ApiResponse(
      responseCode = "200",
      description = "The stream",
      content = @Content(mediaType = EVENT_STREAM, schema = @Schema(type = "string")))
  @ApiResponse(responseCode = "404", description = "The project is not one this key may see")
  public Response list(
      @Auth UserPrincipal caller,
      @Parameter(description = "Refused (400): filter by status on the client")
          @QueryParam("status")
          String status,
      @Parameter(description = "Only this project's jobs") @QueryParam("project") String project,
      @Parameter(description = "Only jobs of this model_name") @QueryParam("model") String model,
      @Parameter(description = "A job id, or the start of a trace id") @QueryParam("q") String q,
      @Parameter(description = "Resume after this message id") @HeaderParam("Last-Event-ID")
          String lastEventId) {
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
