package dev.trainyard.api.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.api.auth.UserPrincipal;
import dev.trainyard.api.auth.UserRoles;
import dev.trainyard.api.openapi.OpenApiDocument;
import dev.trainyard.api.openapi.Tags;
import dev.trainyard.store.frameworks.TrainerFrameworkDao;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code GET /v1/dashboard/config}: what the dashboard needs besides the job API: the links to
 * Temporal's and MLflow's UIs and the frameworks a worker serves (the submit form's choices).
 * Behind a key, like everything that says how the deployment is laid out.
 */
@Path("/v1/dashboard/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = Tags.ACCESS)
@SecurityRequirement(name = OpenApiDocument.API_KEY)
public final class DashboardConfigResource {
  private final DashboardFactory config;
  private final String temporalNamespace;
  private final Supplier<Set<String>> frameworks;

  public DashboardConfigResource(
      DashboardFactory config, String temporalNamespace, TrainerFrameworkDao frameworks) {
    this.config = config;
    this.temporalNamespace = temporalNamespace;
    this.frameworks = frameworks::served;
  }

  public record DashboardConfig(
      @JsonProperty("temporal_ui_url") String temporalUiUrl,
      @JsonProperty("temporal_namespace") String temporalNamespace,
      @JsonProperty("mlflow_url") String mlflowUrl,
      @JsonProperty("frameworks") List<String> frameworks) {}

  @GET
  @RolesAllowed(UserRoles.VIEWER)
  @Operation(
      operationId = "dashboardConfig",
      summary = "Links to Temporal's and MLflow's UIs, and the frameworks served (viewer)")
  @ApiResponse(
      responseCode = "200",
      description = "What the dashboard shows besides jobs",
      content = @Content(schema = @Schema(implementation = DashboardConfig.class)))
  public DashboardConfig get(@Auth UserPrincipal caller) {
    return new DashboardConfig(
        config.getTemporalUiUrl(),
        temporalNamespace,
        config.getMlflowUrl(),
        List.copyOf(new TreeSet<>(frameworks.get())));
  }
}
