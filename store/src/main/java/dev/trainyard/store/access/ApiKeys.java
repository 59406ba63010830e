package dev.trainyard.store.access;

import java.time.Instant;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates API keys: the API's key routes, the server-side bootstrap command and the dev stack all
 * come here, so a key is made, hashed and audited one way.
 */
public final class ApiKeys {
  /**
   * A key's name (who holds it): shown in lists and audit entries, so plain and short. As text too,
   * for the API's OpenAPI schema.
   */
  public static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}";

  public static final Pattern NAME = Pattern.compile(NAME_RULE);

  private ApiKeys() {}

  /**
   * @param project null for a global admin key (then {@code role} must be admin)
   * @param expiresAt null for a key that does not expire
   * @param createdBy the creating key's id, or "bootstrap" / "dev-stack"
   */
  public static IssuedKey issue(
      Jdbi jdbi, String name, String project, Role role, Instant expiresAt, String createdBy) {
    if (project == null && role != Role.ADMIN) {
      throw new IllegalArgumentException("a key for every project must have the admin role");
    }
    String key = ApiKeyFormat.newKey();
    String keyId = ApiKeyFormat.keyId(key).orElseThrow();
    return jdbi.inTransaction(
        handle -> {
          ApiKeyDao keys = handle.attach(ApiKeyDao.class);
          keys.insert(
              keyId, ApiKeyFormat.hash(key), name, project, role.wireName(), createdBy, expiresAt);
          handle
              .attach(AuditDao.class)
              .record(
                  createdBy,
                  "key.create",
                  project,
                  keyId,
                  "{\"role\":\"" + role.wireName() + "\"}");
          return new IssuedKey(key, keys.find(keyId).orElseThrow());
        });
  }
}
