package dev.trainyard.api.jobs;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Paging;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The user API. Thin: parse parameters, call one service, pick the status code. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.JOBS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class JobsResource {
  private final JobSubmissionService submissions;
  private final JobQueryService queries;
  private final JobCancellationService cancellations;

  public JobsResource(
      JobSubmissionService submissions,
      JobQueryService queries,
      JobCancellationService cancellations) {
    this.submissions = submissions;
    this.queries = queries;
    this.cancellations = cancellations;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(UserRoles.MEMBER)
  @Operation(
      operationId = "submitJob",
      summary = "Submit a training job (member)",
      description = "Starts the job's workflow; the job is `pending` until the worker launches it.")
  @ApiResponse(
      responseCode = "201",
      description = "The job was created",
      content = @Content(schema = @Schema(implementation = SubmittedJob.class)))
  @ApiResponse(
      responseCode = "200",
      description = "A retry with the same Idempotency-Key and body: the job it created",
      content = @Content(schema = @Schema(implementation = SubmittedJob.class)))
  @ApiResponse(
      responseCode = "404",
      description = "The project_id is not a project this key may see")
  @ApiResponse(
      responseCode = "409",
      description = "The Idempotency-Key was used for a different body, or is still in progress")
  public Response submit(
      @Auth UserPrincipal caller,
      SubmitJobRequest request,
      @Parameter(description = "Makes a retried submit return the first job instead of a new one")
          @HeaderParam("Idempotency-Key")
          String idempotencyKey) {
    SubmittedJob job = submissions.submit(caller, request, idempotencyKey);
    return Response.status(job.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(job)
        .build();
  }

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "listJobs",
      summary = "List jobs, newest first (viewer)",
      description = "Pass `next_before` as `before` for the next page.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of jobs",
      content = @Content(schema = @Schema(implementation = JobList.class)))
  public JobList list(
      @Auth UserPrincipal caller,
      @Parameter(
              description = "Only jobs in this status",
              schema =
                  @Schema(
                      allowableValues = {
                        "pending",
                        "queued",
                        "running",
                        "succeeded",
                        "failed",
                        "cancelled"
                      }))
          @QueryParam("status")
          String status,
      @Parameter(description = "Only this project's jobs") @QueryParam("project") String project,
      @Parameter(description = "Only jobs of this model (exact model_name)") @QueryParam("model")
          String model,
      @Parameter(
              description =
                  "Free text: a job id, or the start of a trace id (case-insensitive), 1-100"
                      + " letters, digits or '-'")
          @QueryParam("q")
          String q,
      @Parameter(description = "Page size (default 50)", schema = @Schema(ref = Paging.LIMIT))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "Jobs with a smaller id", schema = @Schema(ref = Paging.CURSOR))
          @QueryParam("before")
          String before) {
    return queries.list(
        caller,
        JobFilter.parse(status, project, model, q),
        PageParams.cursor("before", before),
        PageParams.limit(limit, 50));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}")
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "getJob", summary = "One job (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The job",
      content = @Content(schema = @Schema(implementation = JobView.class)))
  public JobView get(@Auth UserPrincipal caller, @PathParam("id") long id) {
    return queries.get(caller, id);
  }

  @POST
  @Path("{id: " + JobIdPath.DIGITS + "}/cancel")
  @RolesAllowed(UserRoles.MEMBER)
  @Operation(
      operationId = "cancelJob",
      summary = "Ask a job to stop (member)",
      description =
          "The trainer's next heartbeat is answered should_continue=false; the job ends"
              + " `cancelled` when the trainer reports done, or is stopped after the grace period.")
  @ApiResponse(
      responseCode = "202",
      description = "Cancel requested (again, if it already was)",
      content = @Content(schema = @Schema(implementation = CancelReply.class)))
  @ApiResponse(responseCode = "409", description = "The job has already ended")
  public Response cancel(@Auth UserPrincipal caller, @PathParam("id") long id) {
    return Response.accepted(cancellations.cancel(caller, id)).build();
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/events")
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "listJobEvents",
      summary = "A job's events, oldest first (viewer)",
      description = "Pass `next_after` as `after` for the next page.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of events",
      content = @Content(schema = @Schema(implementation = EventList.class)))
  public EventList events(
      @Auth UserPrincipal caller,
      @PathParam("id") long id,
      @Parameter(description = "Entries with a larger id", schema = @Schema(ref = Paging.CURSOR))
          @QueryParam("after")
          String after,
      @Parameter(description = "Page size (default 100)", schema = @Schema(ref = Paging.LIMIT))
          @QueryParam("limit")
          String limit) {
    return queries.events(
        caller, id, PageParams.cursor("after", after), PageParams.limit(limit, 100));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/metrics")
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "listJobMetrics",
      summary = "A job's metric reports, oldest first (viewer)",
      description = "Epoch -1 is the final report from done. Pass `next_after` as `after`.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of metric reports",
      content = @Content(schema = @Schema(implementation = MetricList.class)))
  public MetricList metrics(
      @Auth UserPrincipal caller,
      @PathParam("id") long id,
      @Parameter(description = "Entries with a larger id", schema = @Schema(ref = Paging.CURSOR))
          @QueryParam("after")
          String after,
      @Parameter(
              description = "Page size (default 100, at most 5000: a whole chart at once)",
              schema = @Schema(type = "integer", minimum = "1", maximum = "5000"))
          @QueryParam("limit")
          String limit) {
    return queries.metrics(
        caller,
        id,
        PageParams.cursor("after", after),
        PageParams.limit(limit, 100, PageParams.MAX_METRICS_LIMIT));
  }
}
