package dev.trainyard.api.logs;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.logs.JobLogLookup.JobLog;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.workflows.logging.TraceMdc;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/jobs/{id}/logs?tail=N&follow=true}: the trainer's output as plain text, from the
 * local log file or the Kubernetes pod, whichever the job's {@code trainer_log} names, or from its
 * archived copy once that file or pod is gone ({@link TrainerLogSources}). Every check happens
 * before streaming starts, so a refusal is still a problem+json answer.
 */
@Path("/v1/jobs/{id: " + JobIdPath.DIGITS + "}/logs")
@Tag(name = Tags.JOBS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class LogsResource {
  private static final Logger log = LoggerFactory.getLogger(LogsResource.class);

  private final JobLogLookup jobs;
  private final ProjectAccess projects;
  private final LocalLogStreamer local;
  private final PodLogStreamer pods;
  private final ArchivedLogs archive;
  private final TrainerLogSources sources;
  private final ExecutorService followers;

  LogsResource(
      JobLogLookup jobs,
      ProjectAccess projects,
      LocalLogStreamer local,
      PodLogStreamer pods,
      ArchivedLogs archive,
      TrainerLogSources sources,
      ExecutorService followers) {
    this.jobs = jobs;
    this.projects = projects;
    this.local = local;
    this.pods = pods;
    this.archive = archive;
    this.sources = sources;
    this.followers = followers;
  }

  @GET
  @Produces("text/plain; charset=utf-8")
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "getJobLogs",
      summary = "The trainer's output (viewer)",
      description =
          "Plain text, tokens masked; empty before the trainer is launched. With follow=true the"
              + " reply streams new lines until the job ends. Once the trainer's file or pod is"
              + " gone, the copy the worker archived in the object store is served.")
  @ApiResponse(
      responseCode = "200",
      description = "The last `tail` lines, then more with follow=true",
      content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
  @ApiResponse(
      responseCode = "403",
      description = "The job's recorded log location is not one this API serves")
  @ApiResponse(
      responseCode = "404",
      description = "The trainer's pod is gone and no copy of its log was archived")
  @ApiResponse(
      responseCode = "503",
      description =
          "The log is where this API cannot read it (no Kubernetes access, no jobs directory)"
              + " and no copy was archived, or the object store cannot be read")
  public Response logs(
      @Auth UserPrincipal caller,
      @PathParam("id") long jobId,
      @Parameter(
              description = "How many of the last lines",
              schema = @Schema(type = "integer", minimum = "1", maximum = "10000"))
          @QueryParam("tail")
          @DefaultValue("100")
          String tailParam,
      @Parameter(description = "Keep streaming new lines", schema = @Schema(type = "boolean"))
          @QueryParam("follow")
          @DefaultValue("false")
          String followParam) {
    int tail = LogParams.tail(tailParam);
    boolean follow = LogParams.flag("follow", followParam);
    projects.requireJob(caller, jobId);
    JobLog job = jobs.find(jobId);
    try (TraceMdc ignored = TraceMdc.of(job.jobId(), job.traceId())) {
      TrainerLogSources.Source source = sources.find(job, tail);
      if (source instanceof TrainerLogSources.PodLog p) {
        return respond(follow, job, out -> pods.stream(p.pod(), tail, follow, out));
      }
      if (source instanceof TrainerLogSources.LocalFile f) {
        return respond(
            follow,
            job,
            out -> local.stream(f.file(), tail, follow, () -> jobs.isTerminal(jobId), out));
      }
      if (source instanceof TrainerLogSources.Archived a) {
        boolean more = follow && !job.terminal();
        return respond(
            follow,
            job,
            out -> archive.stream(jobId, a.tail(), more, () -> jobs.isTerminal(jobId), out));
      }
      // Not launched yet: nothing to show (a follower asks again).
      return Response.ok((StreamingOutput) out -> {}).build();
    }
  }

  /**
   * A plain body for a tail; a chunk per flush, written by a follower thread, when following. An
   * ended job's follow is its tail, sent plainly too: its follower would write and close the
   * chunked output at once, possibly before Jersey has taken it up, and a reply closed that early
   * was seen never to end (CI: a follow of a failed job's archived log hung its client).
   */
  private Response respond(boolean follow, JobLog job, StreamingOutput body) {
    if (!follow || job.terminal()) {
      return Response.ok(body).build();
    }
    ChunkedOutput<String> chunks = new ChunkedOutput<>(String.class);
    followers.execute(
        () -> {
          try (TraceMdc ignored = TraceMdc.of(job.jobId(), job.traceId())) {
            try (ChunkedLogOutput out = new ChunkedLogOutput(chunks)) {
              body.write(out);
            } catch (IOException | RuntimeException e) {
              // The client went away, or the log did: either way this follow is over.
              log.debug("log follow of job {} ended: {}", job.jobId(), e.toString());
            }
          }
        });
    return Response.ok(chunks).build();
  }

  /**
   * "kubernetes://namespace/jobs/name" (what the Kubernetes launcher records) as {namespace, name}.
   */
  static String[] kubernetesJob(String location) {
    String scheme = "kubernetes://";
    if (!location.startsWith(scheme)) {
      return null;
    }
    String[] parts = location.substring(scheme.length()).split("/");
    String label = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
    if (parts.length != 3
        || !"jobs".equals(parts[1])
        || !parts[0].matches(label)
        || !parts[2].matches(label)) {
      throw new ApiException(403, "the job's log location is not a Kubernetes Job");
    }
    return new String[] {parts[0], parts[2]};
  }
}
