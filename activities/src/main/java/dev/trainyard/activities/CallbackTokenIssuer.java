package dev.trainyard.activities;

import dev.trainyard.workflows.CallbackContract;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Mints the per-attempt callback token the trainer presents to the callback API (the seed's
 * contract: HS256, claims job_id, scope, iat, exp; and {@code attempt}, so the API can refuse a
 * trainer of an earlier attempt). Tokens are secrets: they go into the trainer's environment only,
 * never into a log, an exception message or workflow history.
 */
public final class CallbackTokenIssuer {
  private final SecretKey key;

  public CallbackTokenIssuer(byte[] secret) {
    Objects.requireNonNull(secret, "callback token secret");
    if (secret.length < CallbackContract.MIN_SECRET_BYTES) {
      // Say how long it is and must be, never what it is.
      throw new IllegalArgumentException(
          "callback token secret is "
              + secret.length
              + " bytes; HS256 needs at least "
              + CallbackContract.MIN_SECRET_BYTES
              + " (set TRAINYARD_JWT_SECRET to a longer value)");
    }
    this.key = Keys.hmacShaKeyFor(secret.clone());
  }

  /**
   * A token that lets the trainer of {@code attempt} of {@code jobId} call back for {@code
   * lifetime}, at most {@link JobTimeouts#MAX_TOKEN_LIFETIME_SECONDS}: the API refuses a token that
   * claims to live longer.
   */
  public String mint(long jobId, int attempt, Duration lifetime) {
    if (attempt < 1 || attempt > LaunchValidation.MAX_ATTEMPT) {
      throw new IllegalArgumentException(
          "attempt must be 1.." + LaunchValidation.MAX_ATTEMPT + ", was " + attempt);
    }
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("token lifetime must be positive, was " + lifetime);
    }
    if (lifetime.toSeconds() > JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS) {
      throw new IllegalArgumentException(
          "token lifetime "
              + lifetime
              + " exceeds the longest the API accepts, "
              + JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS
              + " s");
    }
    Instant now = Instant.now();
    return Jwts.builder()
        .claim(CallbackContract.CLAIM_JOB_ID, jobId)
        .claim(CallbackContract.CLAIM_SCOPE, CallbackContract.SCOPE)
        .claim(CallbackContract.CLAIM_ATTEMPT, attempt)
        // whole seconds, as the API requires of both claims
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(lifetime)))
        .signWith(key, Jwts.SIG.HS256)
        .compact();
  }

  @Override
  public String toString() {
    return "CallbackTokenIssuer[HS256]";
  }
}
