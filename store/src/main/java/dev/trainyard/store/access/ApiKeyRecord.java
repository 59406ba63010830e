package dev.trainyard.store.access;

import java.time.Instant;

/**
 * One api_keys row without its hash. {@code project} is null for a global admin.
 *
 * @param role the wire name ({@link Role#wireName()})
 */
public record ApiKeyRecord(
    String keyId,
    String name,
    String project,
    String role,
    Instant createdAt,
    String createdBy,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt,
    String revokedBy) {

  public boolean isGlobal() {
    return project == null;
  }

  public boolean isUsableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
