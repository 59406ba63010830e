package dev.trainyard.api.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Jersey's own refusals (no such path, wrong method or media type, forbidden by role) rewritten as
 * problem+json, keeping their headers (Allow, WWW-Authenticate). Server-side ones are logged.
 */
public final class WebApplicationExceptionMapper
    implements ExceptionMapper<WebApplicationException> {
  private final UnexpectedExceptionMapper unexpected;

  public WebApplicationExceptionMapper(UnexpectedExceptionMapper unexpected) {
    this.unexpected = unexpected;
  }

  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    if (Problems.isProblem(original)) {
      return original;
    }
    int status = original.getStatus();
    if (status >= 500) {
      return unexpected.serverError(e);
    }
    Response.ResponseBuilder reply =
        Response.fromResponse(Problems.response(status, detail(status, e)));
    MultivaluedMap<String, Object> headers = original.getHeaders();
    for (String name : new String[] {"Allow", "WWW-Authenticate", "Retry-After", "Location"}) {
      if (headers.containsKey(name)) {
        reply.header(name, headers.getFirst(name));
      }
    }
    return reply.build();
  }

  private static String detail(int status, WebApplicationException e) {
    return switch (status) {
      case 401 -> "a valid bearer token is required";
      case 403 -> "the token's scope does not allow this call";
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 406 -> "this resource only produces application/json";
      case 415 -> "the request body must be application/json";
      default -> e.getMessage();
    };
  }
}
