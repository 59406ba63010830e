package dev.trainyard.api.jobs;

import dev.trainyard.api.http.JobIdPath;
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
  public Response submit(
      SubmitJobRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    SubmittedJob job = submissions.submit(request, idempotencyKey);
    return Response.status(job.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(job)
        .build();
  }

  @GET
  public JobList list(
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    return queries.list(status, PageParams.cursor("before", before), PageParams.limit(limit, 50));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}")
  public JobView get(@PathParam("id") long id) {
    return queries.get(id);
  }

  @POST
  @Path("{id: " + JobIdPath.DIGITS + "}/cancel")
  public Response cancel(@PathParam("id") long id) {
    return Response.accepted(cancellations.cancel(id)).build();
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/events")
  public EventList events(
      @PathParam("id") long id,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    return queries.events(id, PageParams.cursor("after", after), PageParams.limit(limit, 100));
  }

  @GET
  @Path("{id: " + JobIdPath.DIGITS + "}/metrics")
  public MetricList metrics(
      @PathParam("id") long id,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    return queries.metrics(id, PageParams.cursor("after", after), PageParams.limit(limit, 100));
  }
}
