package dev.trainyard.api.auth;

import java.security.Principal;

/**
 * Who a verified callback token speaks for: one attempt of one job, with one scope. Holds no token
 * material. A token without an {@code attempt} claim (the seed's, one a test mints) speaks for
 * attempt 1.
 */
public record CallbackPrincipal(long jobId, String scope, int attempt) implements Principal {
  @Override
  public String getName() {
    return "job-" + jobId;
  }
}
