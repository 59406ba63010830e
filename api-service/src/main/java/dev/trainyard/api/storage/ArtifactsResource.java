package dev.trainyard.api.storage;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.http.JobIdPath;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.StorageReplies;
import dev.trainyard.api.openapi.Tags;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A job's artifacts in storage ({@code checkpoints/job-<id>/}): {@code GET /v1/jobs/{id}/artifacts}
 * lists them, {@code GET /v1/jobs/{id}/artifacts/{name}} streams one.
 */
@Path("/v1/jobs/{id: " + JobIdPath.DIGITS + "}/artifacts")
@Tag(name = Tags.JOBS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
@ApiResponse(
    responseCode = "503",
    description = "This API has no object storage configured, or a service is down")
public final class ArtifactsResource {
  private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$");
  private final StorageAccess access;
  private final ProjectAccess projects;

  public ArtifactsResource(StorageAccess access, ProjectAccess projects) {
    this.access = access;
    this.projects = projects;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "listJobArtifacts", summary = "A job's stored artifacts (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The artifacts",
      content = @Content(schema = @Schema(implementation = StorageReplies.ArtifactList.class)))
  public Map<String, Object> list(@Auth UserPrincipal caller, @PathParam("id") long jobId) {
    projects.requireJob(caller, jobId);
    ObjectStorage storage = access.storage();
    String prefix = ObjectStorage.checkpointPrefix(jobId);
    List<Map<String, Object>> artifacts = new ArrayList<>();
    for (S3Object object : storage.list(prefix)) {
      String name = object.key().substring(prefix.length());
      if (name.isEmpty() || name.contains("/")) {
        continue;
      }
      Map<String, Object> artifact = new LinkedHashMap<>();
      artifact.put("name", name);
      artifact.put("url", storage.url(object.key()));
      artifact.put("size_bytes", object.size());
      artifact.put(
          "last_modified", object.lastModified() == null ? null : object.lastModified().toString());
      artifact.put("download_path", "/v1/jobs/" + jobId + "/artifacts/" + name);
      artifacts.add(artifact);
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("job_id", jobId);
    reply.put("artifacts", artifacts);
    return reply;
  }

  @GET
  @Path("{name}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "downloadJobArtifact", summary = "Download one artifact (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The file",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_OCTET_STREAM,
              schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(responseCode = "400", description = "The name is not a safe artifact name")
  @ApiResponse(responseCode = "404", description = "No such job, or it has no such artifact")
  public Response download(
      @Auth UserPrincipal caller, @PathParam("id") long jobId, @PathParam("name") String name) {
    if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
      throw new ApiException(400, "artifact name must match " + SAFE_NAME.pattern());
    }
    projects.requireJob(caller, jobId);
    ObjectStorage storage = access.storage();
    String key = ObjectStorage.checkpointPrefix(jobId) + name;
    long size =
        storage
            .size(key)
            .orElseThrow(
                () -> new ApiException(404, "job " + jobId + " has no artifact '" + name + "'"));
    StreamingOutput body =
        out -> {
          try (InputStream in = storage.open(key)) {
            in.transferTo(out);
          }
        };
    return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header("Content-Length", size)
        .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .build();
  }
}
