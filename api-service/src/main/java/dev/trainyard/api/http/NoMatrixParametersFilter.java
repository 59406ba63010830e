package dev.trainyard.api.http;

import dev.trainyard.api.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * No route takes matrix parameters, and Jersey matches paths with them stripped: {@code
 * /v1/jobs/1;x=y} would be job 1. A path with a raw {@code ;} names no resource. An escaped one
 * ({@code %3B}) is an ordinary character of its segment and is left to the route's own template.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public final class NoMatrixParametersFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getUriInfo().getRequestUri().getRawPath().indexOf(';') >= 0) {
      throw new ApiException(404, "no such resource: paths take no ;parameters");
    }
  }
}
