package dev.trainyard.api.openapi;

import dev.trainyard.api.errors.Problems;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;

/**
 * The refusals that come from the server's shared layers rather than from one route, added to every
 * operation they apply to: the auth filter and role check (401, 403), the database behind every
 * credential check (503), the body filters and JSON mapping (400, 413, 415), parameter parsing
 * (400) and path matching (404). A route's own refusals (409, 422, …) are on the route as
 * {@code @ApiResponse}s. Every 4xx and 5xx is then given the problem+json body it really has.
 */
final class ProblemResponses {
  static final String PROBLEM_REF = "#/components/schemas/Problem";

  private static final Map<String, String> SHARED =
      Map.of(
          "400", "The request is invalid; `errors` names each bad field or parameter.",
          "401", "No credential, or one that is not valid (expired, revoked, unknown).",
          "403", "The credential is valid, but its role or scope does not allow this call.",
          "404", "No such resource, or one this credential may not see.",
          "413", "The request body is larger than the server accepts.",
          "415", "The request body is not of a media type this route reads.",
          "503", "A service the API depends on is unavailable; nothing was changed, retry later.");

  private ProblemResponses() {}

  static void complete(OpenAPI document) {
    if (document.getPaths() == null) {
      return;
    }
    for (PathItem path : document.getPaths().values()) {
      for (Operation operation : path.readOperations()) {
        complete(operation);
      }
    }
  }

  private static void complete(Operation operation) {
    ApiResponses responses = operation.getResponses();
    if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
      add(responses, "401", "403", "503");
    }
    if (operation.getRequestBody() != null) {
      add(responses, "400", "413", "415");
    }
    List<Parameter> parameters =
        operation.getParameters() == null ? List.of() : operation.getParameters();
    if (parameters.stream().anyMatch(p -> "path".equals(p.getIn()))) {
      // 400: a path Jetty cannot decode unambiguously (an encoded '/', '\\', control characters)
      add(responses, "400", "404");
    }
    if (parameters.stream().anyMatch(p -> !"path".equals(p.getIn()))) {
      add(responses, "400");
    }
    responses.forEach(
        (code, response) -> {
          if (isError(code) && response.get$ref() == null) {
            response.setContent(
                new Content()
                    .addMediaType(
                        Problems.MEDIA_TYPE,
                        new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
          }
        });
  }

  private static void add(ApiResponses responses, String... codes) {
    for (String code : codes) {
      if (!responses.containsKey(code)) {
        responses.addApiResponse(code, new ApiResponse().description(SHARED.get(code)));
      }
    }
  }

  static boolean isError(String code) {
    return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
  }
}
