package dev.trainyard.api.jobs;

import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.http.JobIdPath;
import io.dropwizard.auth.Auth;
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
  public Response submit(
      @Auth UserPrincipal caller,
      SubmitJobRequest request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    SubmittedJob job = submissions.submit(caller, request, idempotencyKey);
    return Response.status(job.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(job)
        .build();
  }

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  public JobList list(
      @Auth UserPrincipal caller,
      @QueryParam("status") String status,
      @QueryParam("project") String project,
      @QueryParam("model") String model,
      @QueryParam("q") String q,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    return queries.list(
        caller,
        JobFilter.parse(status, project, model, q),
        PageParams.cursor("before", before),
        PageParams.limit(limit, 50));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}")
  @RolesAllowed(UserRoles.VIEWER)
  public JobView get(@Auth UserPrincipal caller, @PathParam("id") long id) {
    return queries.get(caller, id);
  }

  @POST
  @Path("{id: " + JobIdPath.DIGITS + "}/cancel")
  @RolesAllowed(UserRoles.MEMBER)
  public Response cancel(@Auth UserPrincipal caller, @PathParam("id") long id) {
    return Response.accepted(cancellations.cancel(caller, id)).build();
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/events")
  @RolesAllowed(UserRoles.VIEWER)
  public EventList events(
      @Auth UserPrincipal caller,
      @PathParam("id") long id,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    return queries.events(
        caller, id, PageParams.cursor("after", after), PageParams.limit(limit, 100));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/metrics")
  @RolesAllowed(UserRoles.VIEWER)
  public MetricList metrics(
      @Auth UserPrincipal caller,
      @PathParam("id") long id,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    return queries.metrics(
        caller,
        id,
        PageParams.cursor("after", after),
        PageParams.limit(limit, 100, PageParams.MAX_METRICS_LIMIT));
  }
}
