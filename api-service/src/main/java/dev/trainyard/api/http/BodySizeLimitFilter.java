package dev.trainyard.api.http;

import dev.trainyard.api.errors.PayloadTooLargeException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Refuses a body over the limit: at once when Content-Length says so, otherwise while it streams.
 * Runs before authentication so an oversized upload is cut off before any work is done.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodySizeLimitFilter implements ContainerRequestFilter {
  private final long limitBytes;

  public BodySizeLimitFilter(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > limitBytes) {
      throw new PayloadTooLargeException(limitBytes);
    }
    if (request.hasEntity()) {
      request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limitBytes));
    }
  }
}
