package dev.trainyard.api.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds problem+json replies; the one place that knows the error wire format. */
public final class Problems {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

  private Problems() {}

  public static Response response(int status, String detail) {
    return response(status, detail, null);
  }

  public static Response response(int status, String detail, Map<String, String> errors) {
    return Response.status(status)
        .type(PROBLEM_JSON)
        .entity(Problem.of(status, detail, errors))
        .build();
  }

  /**
   * True when a response already carries a problem document (built here, e.g. by the auth filter).
   */
  public static boolean isProblem(Response response) {
    return response != null && response.getEntity() instanceof Problem;
  }

  static String title(int status) {
    return switch (status) {
      case 413 -> "Payload Too Large";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      default -> {
        Response.Status known = Response.Status.fromStatusCode(status);
        yield known != null
            ? known.getReasonPhrase()
            : Response.Status.Family.familyOf(status).name();
      }
    };
  }
}
