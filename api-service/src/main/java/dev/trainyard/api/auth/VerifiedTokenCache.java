package dev.trainyard.api.auth;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens that verified, so a trainer's heartbeat every few seconds costs a map lookup
 * instead of a JWT parse and HMAC. Only successes are kept, keyed by the whole token string, and
 * each hit re-checks the token's own expiry: a cached token is never accepted after its {@code
 * exp}. Failures are never cached, so a hostile token is verified (and refused) every time. The map
 * is bounded: when full it is emptied, which only costs re-verification.
 */
public final class VerifiedTokenCache implements Authenticator<String, CallbackPrincipal> {
  private record Verified(CallbackPrincipal principal, Instant expiresAt) {}

  private final CallbackTokenAuthenticator verifier;
  private final Clock clock;
  private final int maxEntries;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  public VerifiedTokenCache(CallbackTokenAuthenticator verifier, Clock clock, int maxEntries) {
    this.verifier = verifier;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** The principal of a token that verified before and has not expired; never verifies. */
  public Optional<CallbackPrincipal> remembered(String token) {
    Verified hit = verified.get(token);
    return hit != null && clock.instant().isBefore(hit.expiresAt())
        ? Optional.of(hit.principal())
        : Optional.empty();
  }

  @Override
  public Optional<CallbackPrincipal> authenticate(String token) throws AuthenticationException {
    Optional<CallbackPrincipal> remembered = remembered(token);
    if (remembered.isPresent()) {
      return remembered;
    }
    verified.remove(token);
    CallbackTokenAuthenticator.Verified fresh = verifier.verify(token);
    if (verified.size() >= maxEntries) {
      verified.clear();
    }
    verified.put(token, new Verified(fresh.principal(), fresh.expiresAt()));
    return Optional.of(fresh.principal());
  }
}
