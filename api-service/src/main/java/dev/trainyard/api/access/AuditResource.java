package dev.trainyard.api.access;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainyard.api.access.AccessViews.AuditEntry;
import dev.trainyard.api.access.AccessViews.AuditPage;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.jobs.PageParams;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Paging;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.store.access.AuditDao;
import dev.trainyard.store.access.AuditRecord;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /v1/audit}: who did what, newest first. A project admin reads their project's entries;
 * a global admin every entry, or one project's with {@code ?project=}.
 */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.ACCESS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class AuditResource {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private final Jdbi jdbi;
  private final ProjectAccess access;
  private final ObjectMapper json;

  public AuditResource(Jdbi jdbi, ProjectAccess access, ObjectMapper json) {
    this.jdbi = jdbi;
    this.access = access;
    this.json = json;
  }

  @GET
  @RolesAllowed(UserRoles.ADMIN)
  @Operation(
      operationId = "listAudit",
      summary = "Who did what, newest first (admin)",
      description =
          "A project admin reads their project; a global admin every entry, or one"
              + " project's with `project`. Pass `next_before` as `before` for the next page.")
  @ApiResponse(
      responseCode = "200",
      description = "A page of audit entries",
      content = @Content(schema = @Schema(implementation = AuditPage.class)))
  @ApiResponse(responseCode = "404", description = "The project is not one this key may see")
  public AuditPage page(
      @Auth UserPrincipal caller,
      @Parameter(description = "Only this project's entries") @QueryParam("project") String project,
      @Parameter(description = "Page size (default 100)", schema = @Schema(ref = Paging.LIMIT))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "Entries with a smaller id", schema = @Schema(ref = Paging.CURSOR))
          @QueryParam("before")
          String before) {
    // no ?project=: a project admin reads their own project, a global admin every entry
    String scope =
        project == null || project.isEmpty()
            ? caller.project()
            : access.requireProject(caller, project).name();
    int pageSize = PageParams.limit(limit, 100);
    List<AuditRecord> rows =
        jdbi.withExtension(
            AuditDao.class,
            audit -> audit.page(scope, PageParams.cursor("before", before), pageSize + 1));
    boolean more = rows.size() > pageSize;
    List<AuditEntry> entries =
        rows.stream().limit(pageSize).map(row -> AuditEntry.of(row, detail(row))).toList();
    return new AuditPage(entries, more ? entries.get(entries.size() - 1).id() : null);
  }

  private Map<String, Object> detail(AuditRecord row) {
    if (row.detail() == null) {
      return null;
    }
    try {
      return json.readValue(row.detail(), OBJECT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
