package dev.trainyard.app.dev;

import dev.trainyard.app.PrivateFiles;
import dev.trainyard.store.access.ApiKeyDao;
import dev.trainyard.store.access.ApiKeyFormat;
import dev.trainyard.store.access.ApiKeyRecord;
import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.AuditDao;
import dev.trainyard.store.access.IssuedKey;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The dev stack's access: project {@value #PROJECT} (the demo's) and a global admin key named
 * {@value #NAME}, kept in {@code <data dir>/admin-api-key} (mode 600), which the CLI on this
 * machine sends to a local API when no other key is set. The key in the file is reused while it
 * still verifies against the stack's database (so a script that read it keeps working across
 * restarts); otherwise a new one is issued and the dev stack's older ones are revoked, so at most
 * one of them is ever valid.
 */
final class DevAdminKey {
  static final String PROJECT = "demo";
  static final String NAME = "dev-admin";

  /** Who made the dev stack's project and keys, in created_by and the audit log. */
  static final String CREATED_BY = "dev-stack";

  private DevAdminKey() {}

  /** Ensures the project and a valid key in {@code file}; returns the key. */
  static String ensure(Jdbi jdbi, Path file) throws IOException {
    ensureProject(jdbi);
    Optional<String> kept = read(file).filter(key -> stillValid(jdbi, key));
    if (kept.isPresent()) {
      return kept.get();
    }
    IssuedKey issued = ApiKeys.issue(jdbi, NAME, null, Role.ADMIN, null, CREATED_BY);
    revokeOthers(jdbi, issued.keyId());
    PrivateFiles.write(file, issued.key() + "\n");
    return issued.key();
  }

  private static void ensureProject(Jdbi jdbi) {
    jdbi.useTransaction(
        handle -> {
          if (handle.attach(ProjectDao.class).create(PROJECT, CREATED_BY)) {
            handle
                .attach(AuditDao.class)
                .record(CREATED_BY, "project.create", PROJECT, PROJECT, "{}");
          }
        });
  }

  private static Optional<String> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
        .filter(key -> ApiKeyFormat.keyId(key).isPresent());
  }

  /** The key is this stack's, unrevoked, unexpired and global (a wiped database has none). */
  private static boolean stillValid(Jdbi jdbi, String key) {
    String keyId = ApiKeyFormat.keyId(key).orElseThrow();
    return jdbi.withExtension(ApiKeyDao.class, keys -> keys.forVerification(keyId))
        .filter(found -> MessageDigest.isEqual(found.secretHash(), ApiKeyFormat.hash(key)))
        .map(ApiKeyDao.VerifiableKey::key)
        .filter(record -> record.isGlobal() && record.isUsableAt(Instant.now()))
        .isPresent();
  }

  /** Revokes the dev stack's earlier admin keys: their file is gone, nobody should hold them. */
  private static void revokeOthers(Jdbi jdbi, String keep) {
    jdbi.useTransaction(
        handle -> {
          ApiKeyDao keys = handle.attach(ApiKeyDao.class);
          AuditDao audit = handle.attach(AuditDao.class);
          for (ApiKeyRecord key : keys.inProject(null)) {
            if (!key.keyId().equals(keep)
                && NAME.equals(key.name())
                && CREATED_BY.equals(key.createdBy())
                && key.revokedAt() == null) {
              keys.revoke(key.keyId(), CREATED_BY);
              audit.record(CREATED_BY, "key.revoke", null, key.keyId(), "{}");
            }
          }
        });
  }
}
