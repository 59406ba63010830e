package dev.trainyard.api.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.store.access.ApiKeyRecord;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.AuditRecord;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.ProjectRecord;
import dev.trainyard.store.access.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the access routes. A key view never holds a hash; only a new key its key. */
public final class AccessViews {
  private AccessViews() {}

  public record ProjectView(
      @JsonProperty("name") String name,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy) {
    static ProjectView of(ProjectRecord project) {
      return new ProjectView(project.name(), iso(project.createdAt()), project.createdBy());
    }
  }

  public record ProjectList(@JsonProperty("projects") List<ProjectView> projects) {}

  public record CreateProjectRequest(
      @JsonProperty("name")
          @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              pattern = "^" + ProjectDao.NAME_RULE + "$")
          String name) {}

  public record CreateKeyRequest(
      @JsonProperty("name")
          @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              pattern = "^" + ApiKeys.NAME_RULE + "$")
          String name,
      @JsonProperty("role")
          @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {"viewer", "member", "admin"})
          String role,
      @JsonProperty("expires_in_seconds")
          @Schema(minimum = "60", maximum = "" + KeysResource.MAX_EXPIRES_IN_SECONDS)
          Long expiresInSeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KeyView(
      @JsonProperty("key_id") String keyId,
      // present only in the reply that creates the key
      @JsonProperty("key") String key,
      @JsonProperty("name") String name,
      @JsonProperty("project") @JsonInclude(JsonInclude.Include.ALWAYS) String project,
      @JsonProperty("role") String role,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("expires_at") @JsonInclude(JsonInclude.Include.ALWAYS) String expiresAt,
      @JsonProperty("last_used_at") @JsonInclude(JsonInclude.Include.ALWAYS) String lastUsedAt,
      @JsonProperty("revoked_at") @JsonInclude(JsonInclude.Include.ALWAYS) String revokedAt,
      @JsonProperty("revoked_by") @JsonInclude(JsonInclude.Include.ALWAYS) String revokedBy) {
    static KeyView of(ApiKeyRecord key) {
      return withKey(key, null);
    }

    static KeyView withKey(ApiKeyRecord key, String fullKey) {
      return new KeyView(
          key.keyId(),
          fullKey,
          key.name(),
          key.project(),
          key.role(),
          iso(key.createdAt()),
          key.createdBy(),
          iso(key.expiresAt()),
          iso(key.lastUsedAt()),
          iso(key.revokedAt()),
          key.revokedBy());
    }

    /** Never the key: a view that ends up in a log line must not leak it. */
    @Override
    public String toString() {
      return "KeyView[" + keyId + "]";
    }
  }

  public record KeyList(@JsonProperty("keys") List<KeyView> keys) {}

  public record WhoAmI(
      @JsonProperty("key_id") String keyId,
      @JsonProperty("name") String name,
      @JsonProperty("project") String project,
      @JsonProperty("role") String role,
      @JsonProperty("expires_at") String expiresAt) {}

  public record AuditEntry(
      @JsonProperty("id") long id,
      @JsonProperty("at") String at,
      @JsonProperty("actor") String actor,
      @JsonProperty("action") String action,
      @JsonProperty("project") String project,
      @JsonProperty("target") String target,
      @JsonProperty("detail") Map<String, Object> detail) {
    static AuditEntry of(AuditRecord record, Map<String, Object> detail) {
      return new AuditEntry(
          record.id(),
          iso(record.at()),
          record.actor(),
          record.action(),
          record.project(),
          record.target(),
          detail);
    }
  }

  public record AuditPage(
      @JsonProperty("entries") List<AuditEntry> entries,
      @JsonProperty("next_before") Long nextBefore) {}

  static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static String roleNames() {
    StringBuilder names = new StringBuilder();
    for (Role role : Role.values()) {
      names.append(names.length() == 0 ? "" : ", ").append(role.wireName());
    }
    return names.toString();
  }
}
