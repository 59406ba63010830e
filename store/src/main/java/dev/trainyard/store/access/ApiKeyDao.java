package dev.trainyard.store.access;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The api_keys table. The hash is written once and only ever compared, never returned. */
@RegisterConstructorMapper(ApiKeyRecord.class)
public interface ApiKeyDao {
  String COLUMNS =
      "key_id, name, project, role, created_at, created_by, expires_at, last_used_at,"
          + " revoked_at, revoked_by";

  @SqlUpdate(
      "INSERT INTO api_keys (key_id, secret_hash, name, project, role, created_by, expires_at)"
          + " VALUES (:keyId, :hash, :name, :project, :role, :createdBy, :expiresAt)")
  void insert(
      @Bind("keyId") String keyId,
      @Bind("hash") byte[] hash,
      @Bind("name") String name,
      @Bind("project") String project,
      @Bind("role") String role,
      @Bind("createdBy") String createdBy,
      @Bind("expiresAt") Instant expiresAt);

  @SqlQuery("SELECT " + COLUMNS + " FROM api_keys WHERE key_id = :keyId")
  Optional<ApiKeyRecord> find(@Bind("keyId") String keyId);

  /** A key with its hash: read only by the verifier, which compares the hash and drops it. */
  record VerifiableKey(byte[] secretHash, ApiKeyRecord key) {}

  /**
   * One statement whether or not the key exists, so the time it takes does not tell a caller which
   * key ids are real.
   */
  @SqlQuery("SELECT secret_hash, " + COLUMNS + " FROM api_keys WHERE key_id = :keyId")
  @RegisterRowMapper(VerifiableKeyMapper.class)
  Optional<VerifiableKey> forVerification(@Bind("keyId") String keyId);

  /** Maps the hash and hands the rest to the record's constructor mapper. */
  final class VerifiableKeyMapper implements RowMapper<VerifiableKey> {
    private RowMapper<ApiKeyRecord> keys;

    @Override
    public void init(ConfigRegistry registry) {
      keys = ConstructorMapper.of(ApiKeyRecord.class);
      keys.init(registry);
    }

    @Override
    public VerifiableKey map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new VerifiableKey(rs.getBytes("secret_hash"), keys.map(rs, ctx));
    }
  }

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM api_keys WHERE project IS NOT DISTINCT FROM :project ORDER BY created_at, key_id")
  List<ApiKeyRecord> inProject(@Bind("project") String project);

  /** Revokes once: the first revocation's time and actor stay. Returns whether the key exists. */
  @SqlUpdate(
      "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()),"
          + " revoked_by = coalesce(revoked_by, :actor) WHERE key_id = :keyId")
  int revoke(@Bind("keyId") String keyId, @Bind("actor") String actor);

  /**
   * Records use at minute resolution: a key in use every second writes once a minute, not once a
   * request.
   */
  @SqlUpdate(
      "UPDATE api_keys SET last_used_at = now() WHERE key_id = :keyId"
          + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
  int markUsed(@Bind("keyId") String keyId);

  /**
   * Which of these keys still work (not revoked, not expired): long-lived connections such as live
   * streams ask now and then, so a revoked key's stream ends too.
   */
  @SqlQuery(
      "SELECT key_id FROM api_keys WHERE key_id = ANY(:keyIds) AND revoked_at IS NULL"
          + " AND (expires_at IS NULL OR expires_at > now())")
  java.util.Set<String> stillValid(@Bind("keyIds") String[] keyIds);
}
