package dev.trainyard.api.access;

import dev.trainyard.api.access.AccessViews.CreateProjectRequest;
import dev.trainyard.api.access.AccessViews.ProjectList;
import dev.trainyard.api.access.AccessViews.ProjectView;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.errors.ConflictException;
import dev.trainyard.api.errors.InvalidRequestException;
import dev.trainyard.api.jobs.FieldErrors;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.store.access.ProjectDao;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** {@code /v1/projects}: a global admin creates projects; every key lists the ones it sees. */
@Path("/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.ACCESS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class ProjectsResource {
  private static final Pattern NAME = Pattern.compile(ProjectDao.NAME_RULE);
  private final Jdbi jdbi;
  private final AuditTrail audit;

  public ProjectsResource(Jdbi jdbi, AuditTrail audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(UserRoles.GLOBAL_ADMIN)
  @Operation(operationId = "createProject", summary = "Create a project (global admin)")
  @ApiResponse(
      responseCode = "201",
      description = "The project",
      content = @Content(schema = @Schema(implementation = ProjectView.class)))
  @ApiResponse(responseCode = "409", description = "A project of that name exists")
  public Response create(@Auth UserPrincipal caller, CreateProjectRequest request) {
    if (request == null) {
      throw new InvalidRequestException("the request body must be a JSON object with a name");
    }
    FieldErrors errors = new FieldErrors();
    errors.text(
        "name",
        request.name(),
        NAME,
        "must match " + ProjectDao.NAME_RULE + " (lower-case letters, digits and '-')",
        true);
    errors.throwIfAny();
    ProjectDao projects = jdbi.onDemand(ProjectDao.class);
    if (!projects.create(request.name(), caller.keyId())) {
      throw new ConflictException("project '" + request.name() + "' already exists");
    }
    audit.record(caller, "project.create", request.name(), request.name(), Map.of());
    return Response.status(201)
        .entity(ProjectView.of(projects.find(request.name()).orElseThrow()))
        .build();
  }

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(operationId = "listProjects", summary = "The projects this key may see (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "The projects",
      content = @Content(schema = @Schema(implementation = ProjectList.class)))
  public ProjectList list(@Auth UserPrincipal caller) {
    return new ProjectList(
        jdbi.withExtension(ProjectDao.class, ProjectDao::all).stream()
            .filter(project -> caller.canSee(project.name()))
            .map(ProjectView::of)
            .toList());
  }
}
