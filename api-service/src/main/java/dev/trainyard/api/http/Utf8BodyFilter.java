package dev.trainyard.api.http;

import com.google.common.base.Utf8;
import dev.trainyard.api.errors.Problems;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A JSON body must be well-formed UTF-8. Jackson's byte parser refuses an impossible byte (0xFF)
 * but decodes an overlong sequence ({@code C0 AF} is a disguised "/") as the character it hides,
 * which then is stored and served as if it had been sent. The body is already bounded by {@link
 * BodySizeLimitFilter} (which runs first), so it is read here once, checked, and handed on. The
 * heartbeat fast path checks its bytes with {@link #isWellFormed} before parsing them.
 */
@Priority(Priorities.AUTHENTICATION - 50)
public final class Utf8BodyFilter implements ContainerRequestFilter {
  public static final String NOT_UTF8 =
      "malformed JSON: the body is not valid UTF-8 (an invalid or overlong byte sequence)";

  public static boolean isWellFormed(byte[] body) {
    return Utf8.isWellFormed(body);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!request.hasEntity()
        || !MediaType.APPLICATION_JSON_TYPE.isCompatible(request.getMediaType())) {
      return;
    }
    byte[] body;
    try {
      body = request.getEntityStream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a broken body: BrokenRequestBody answers 400
    }
    if (!isWellFormed(body)) {
      throw new WebApplicationException(Problems.response(400, NOT_UTF8));
    }
    request.setEntityStream(new ByteArrayInputStream(body));
  }
}
