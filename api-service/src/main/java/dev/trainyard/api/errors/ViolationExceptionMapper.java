package dev.trainyard.api.errors;

import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import java.util.TreeMap;

/** Bean-validation failures on resource parameters, as a field → reason map. */
public final class ViolationExceptionMapper implements ExceptionMapper<JerseyViolationException> {
  @Override
  public Response toResponse(JerseyViolationException e) {
    Map<String, String> errors = new TreeMap<>();
    for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
      errors.putIfAbsent(leafName(violation.getPropertyPath()), violation.getMessage());
    }
    if (errors.isEmpty()) {
      return Problems.response(400, "the request is invalid");
    }
    return new ApiExceptionMapper().toResponse(new InvalidRequestException(errors));
  }

  private static String leafName(Path path) {
    String name = "request";
    for (Path.Node node : path) {
      if (node.getName() != null && !node.getName().startsWith("arg")) {
        name = node.getName();
      }
    }
    return name;
  }
}
