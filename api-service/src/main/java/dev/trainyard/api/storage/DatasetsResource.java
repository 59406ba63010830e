package dev.trainyard.api.storage;

import dev.trainyard.api.access.AuditTrail;
import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.ApiException;
import dev.trainyard.api.errors.PayloadTooLargeException;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.StorageReplies;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A project's datasets. Upload: {@code POST /v1/projects/<project>/datasets?dataset_id=<id>
 * [&overwrite=true]} with the zip as the raw body. The archive is spooled to a temporary file
 * (never held in memory), refused past the size limit (413), checked (422 with the reason) and only
 * then stored as {@code datasets/<project>/<id>.zip}: a refused upload leaves no object, and an
 * overwrite that is refused leaves the stored dataset as it was. The spool is needed because a
 * zip's directory is at its end.
 */
@Path("/v1/projects/{project}/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.DATASETS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
@ApiResponse(responseCode = "404", description = "No such project (or not visible to this key)")
@ApiResponse(
    responseCode = "503",
    description = "This API has no object storage configured, or a service is down")
public final class DatasetsResource {
  static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
  private final StorageAccess access;
  private final ProjectAccess projects;
  private final AuditTrail audit;

  public DatasetsResource(StorageAccess access, ProjectAccess projects, AuditTrail audit) {
    this.access = access;
    this.projects = projects;
    this.audit = audit;
  }

  @POST
  @Consumes({"application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM})
  @RolesAllowed(UserRoles.MEMBER)
  @Operation(
      operationId = "uploadDataset",
      summary = "Upload a dataset zip (member)",
      description =
          "The body is the zip itself. It is checked (entries, sizes, paths, images, labels)"
              + " before it is stored; a refused upload stores nothing.")
  @ApiResponse(
      responseCode = "201",
      description = "Stored",
      content = @Content(schema = @Schema(implementation = StorageReplies.UploadedDataset.class)))
  @ApiResponse(
      responseCode = "409",
      description = "A dataset of that id exists; pass overwrite=true to replace it")
  @ApiResponse(responseCode = "422", description = "The zip is not a valid dataset archive")
  public Response upload(
      @Auth UserPrincipal caller,
      @PathParam("project") String project,
      @Parameter(
              required = true,
              description = "The dataset's id in the project",
              schema = @Schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))
          @QueryParam("dataset_id")
          String datasetId,
      @Parameter(description = "Replace a dataset of that id") @QueryParam("overwrite")
          boolean overwrite,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/zip",
                    schema = @Schema(type = "string", format = "binary")),
                @Content(
                    mediaType = "application/octet-stream",
                    schema = @Schema(type = "string", format = "binary"))
              })
          InputStream body)
      throws IOException {
    java.nio.file.Path spool = Files.createTempFile("trainyard-dataset-", ".zip");
    try {
      // The body is read before any refusal: a server that answers while the client is still
      // sending gets its connection reset, and the client never sees the reason.
      long size = spool(body, spool, access.maxDatasetBytes());
      projects.requireProject(caller, project);
      checkId(datasetId);
      ObjectStorage storage = access.storage();
      String key = ObjectStorage.datasetKey(project, datasetId);
      boolean exists = storage.size(key).isPresent();
      if (!overwrite && exists) {
        throw new ApiException(
            409, "dataset '" + datasetId + "' already exists; pass overwrite=true to replace it");
      }
      DatasetArchiveValidator.Summary summary =
          new DatasetArchiveValidator(access.maxUnpackedBytes()).validate(spool);
      storage.put(key, spool, "application/zip");
      audit.record(
          caller,
          exists ? "dataset.overwrite" : "dataset.upload",
          project,
          datasetId,
          Map.of("size_bytes", size));
      Map<String, Object> reply = describe(storage, datasetId, key, size);
      reply.put("entries", summary.entries());
      reply.put("images", summary.images());
      reply.put("classes", summary.classNames());
      return Response.status(201).entity(reply).build();
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "listDatasets", summary = "A project's datasets (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The datasets",
      content = @Content(schema = @Schema(implementation = StorageReplies.DatasetList.class)))
  public Map<String, Object> list(
      @Auth UserPrincipal caller, @PathParam("project") String project) {
    projects.requireProject(caller, project);
    ObjectStorage storage = access.storage();
    String prefix = ObjectStorage.datasetPrefix(project);
    List<Map<String, Object>> datasets = new ArrayList<>();
    for (S3Object object : storage.list(prefix)) {
      String name = object.key().substring(prefix.length());
      if (name.endsWith(".zip") && !name.contains("/")) {
        String id = name.substring(0, name.length() - ".zip".length());
        Map<String, Object> dataset = describe(storage, id, object.key(), object.size());
        dataset.put(
            "last_modified",
            object.lastModified() == null ? null : object.lastModified().toString());
        datasets.add(dataset);
      }
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("project", project);
    reply.put("datasets", datasets);
    return reply;
  }

  @GET
  @Path("{dataset_id}")
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "getDataset", summary = "One dataset (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The dataset",
      content = @Content(schema = @Schema(implementation = StorageReplies.Dataset.class)))
  @ApiResponse(responseCode = "404", description = "No such project or dataset")
  public Map<String, Object> get(
      @Auth UserPrincipal caller,
      @PathParam("project") String project,
      @PathParam("dataset_id") String datasetId) {
    projects.requireProject(caller, project);
    checkId(datasetId);
    ObjectStorage storage = access.storage();
    String key = ObjectStorage.datasetKey(project, datasetId);
    long size =
        storage
            .size(key)
            .orElseThrow(() -> new ApiException(404, "dataset '" + datasetId + "' not found"));
    return describe(storage, datasetId, key, size);
  }

  private static Map<String, Object> describe(
      ObjectStorage storage, String id, String key, long size) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("dataset_id", id);
    reply.put("key", key);
    reply.put("url", storage.url(key));
    reply.put("size_bytes", size);
    return reply;
  }

  static void checkId(String datasetId) {
    if (datasetId == null || !SAFE_ID.matcher(datasetId).matches() || datasetId.contains("..")) {
      throw new ApiException(
          400,
          "dataset_id must match " + SAFE_ID.pattern() + " without '..'",
          Map.of("dataset_id", datasetId == null ? "is required" : "is not a safe dataset id"));
    }
  }

  private static long spool(InputStream body, java.nio.file.Path target, long limit) {
    if (body == null) {
      throw new ApiException(400, "the request body must be the dataset zip");
    }
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(target)) {
      for (int n; (n = body.read(buffer)) > 0; ) {
        total += n;
        if (total > limit) {
          throw new PayloadTooLargeException(limit);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (total == 0) {
      throw new ApiException(400, "the request body must be the dataset zip (it was empty)");
    }
    return total;
  }
}
