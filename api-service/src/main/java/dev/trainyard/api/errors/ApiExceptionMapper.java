package dev.trainyard.api.errors;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the domain's refusals into problem+json; 5xx ones are logged with their cause. */
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
  static final String BEARER_CHALLENGE = "Bearer realm=\"trainyard-callbacks\"";
  private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionMapper.class);

  @Override
  public Response toResponse(ApiException e) {
    if (e.status() >= 500) {
      LOG.warn("{}: {}", e.getMessage(), String.valueOf(e.getCause()));
    }
    Response response = Problems.response(e.status(), e.getMessage(), e.errors());
    if (e.status() == 401) {
      return Response.fromResponse(response)
          .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE)
          .build();
    }
    return response;
  }
}
