package dev.trainyard.api.auth;

import dev.trainyard.store.access.ApiKeyDao;
import dev.trainyard.store.access.ApiKeyFormat;
import dev.trainyard.store.access.ApiKeyRecord;
import dev.trainyard.store.access.Role;
import io.dropwizard.auth.Authenticator;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Verifies user API keys against the api_keys table. A key that verified is remembered for {@link
 * #REMEMBER}, so a busy client costs a hash and a map lookup instead of a query; that is also how
 * long a revoked key may still be accepted by a replica that had just verified it (the issue allows
 * 5 s). Every lookup that misses the cache runs the same one statement and the same constant-time
 * comparison, with a stand-in hash when the key id does not exist, so timing tells an unknown key
 * id from a known one with a wrong secret no better than chance. Failures are never remembered.
 */
public final class ApiKeyAuthenticator implements Authenticator<String, UserPrincipal> {
  static final Duration REMEMBER = Duration.ofSeconds(4);

  /** Bounded: when full the map is emptied, which only costs re-verification. */
  private static final int MAX_REMEMBERED = 10_000;

  private static final byte[] STAND_IN_HASH = ApiKeyFormat.hash("ty_no-such-key");

  private record Verified(UserPrincipal principal, Instant until) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final ConcurrentHashMap<ByteBuffer, Verified> remembered = new ConcurrentHashMap<>();

  public ApiKeyAuthenticator(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Override
  public Optional<UserPrincipal> authenticate(String key) {
    Optional<String> keyId = ApiKeyFormat.keyId(key);
    if (keyId.isEmpty()) {
      return Optional.empty(); // not a key at all (a callback token, a typo): nothing to look up
    }
    byte[] hash = ApiKeyFormat.hash(key);
    ByteBuffer cacheKey = ByteBuffer.wrap(hash);
    Instant now = clock.instant();
    Verified hit = remembered.get(cacheKey);
    if (hit != null && now.isBefore(hit.until())) {
      return Optional.of(hit.principal());
    }
    remembered.remove(cacheKey);
    Optional<ApiKeyDao.VerifiableKey> stored =
        jdbi.withExtension(ApiKeyDao.class, keys -> keys.forVerification(keyId.get()));
    byte[] expected = stored.map(ApiKeyDao.VerifiableKey::secretHash).orElse(STAND_IN_HASH);
    boolean matches = MessageDigest.isEqual(expected, hash) && stored.isPresent();
    if (!matches || !stored.get().key().isUsableAt(now)) {
      return Optional.empty();
    }
    ApiKeyRecord record = stored.get().key();
    jdbi.useExtension(ApiKeyDao.class, keys -> keys.markUsed(record.keyId()));
    UserPrincipal principal =
        new UserPrincipal(
            record.keyId(),
            record.name(),
            record.project(),
            Role.fromWire(record.role()).orElseThrow(),
            record.expiresAt());
    Instant until = now.plus(REMEMBER);
    if (record.expiresAt() != null && record.expiresAt().isBefore(until)) {
      until = record.expiresAt();
    }
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.clear();
    }
    remembered.put(cacheKey, new Verified(principal, until));
    return Optional.of(principal);
  }
}
