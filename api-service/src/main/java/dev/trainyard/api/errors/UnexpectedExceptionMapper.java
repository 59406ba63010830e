package dev.trainyard.api.errors;

import io.dropwizard.jersey.errors.LoggingExceptionMapper;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Everything nobody expected: logged by Dropwizard's mapper with a random error id, answered as a
 * 500 problem whose detail carries that id so an operator can find the stack trace.
 */
public final class UnexpectedExceptionMapper extends LoggingExceptionMapper<Throwable> {
  private final WebApplicationExceptionMapper webErrors = new WebApplicationExceptionMapper(this);

  @Override
  public Response toResponse(Throwable exception) {
    if (exception instanceof WebApplicationException web) {
      return webErrors.toResponse(web);
    }
    Optional<String> broken = BrokenRequestBody.reason(exception);
    if (broken.isPresent()) {
      return Problems.response(400, broken.get());
    }
    long id = logException(exception);
    return Problems.response(500, formatErrorMessage(id, exception));
  }

  /** Logs and answers a server-side failure that arrived as a WebApplicationException. */
  Response serverError(WebApplicationException exception) {
    long id = logException(exception);
    return Problems.response(
        exception.getResponse().getStatus(), formatErrorMessage(id, exception));
  }
}
