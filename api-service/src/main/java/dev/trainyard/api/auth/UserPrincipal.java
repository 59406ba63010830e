package dev.trainyard.api.auth;

import dev.trainyard.store.access.Role;
import java.security.Principal;
import java.time.Instant;

/**
 * Who a verified API key speaks for: its public id, its role and the one project it may see (null
 * for a global admin, who sees every project). Holds no key material.
 */
public record UserPrincipal(
    String keyId, String keyName, String project, Role role, Instant expiresAt)
    implements Principal {

  @Override
  public String getName() {
    return keyId;
  }

  public boolean isGlobalAdmin() {
    return project == null;
  }

  /** Whether objects of {@code projectName} exist for this key; others are answered 404. */
  public boolean canSee(String projectName) {
    return project == null || project.equals(projectName);
  }

  /** How the key is described to its own holder in a refusal. */
  public String describe() {
    return isGlobalAdmin()
        ? "key " + keyId + " (global admin)"
        : "key " + keyId + " (role " + role.wireName() + " in project " + project + ")";
  }
}
