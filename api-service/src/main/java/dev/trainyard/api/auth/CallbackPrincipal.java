package dev.trainyard.api.auth;

import java.security.Principal;

/** Who a verified callback token speaks for: one job, with one scope. Holds no token material. */
public record CallbackPrincipal(long jobId, String scope) implements Principal {
  @Override
  public String getName() {
    return "job-" + jobId;
  }
}
