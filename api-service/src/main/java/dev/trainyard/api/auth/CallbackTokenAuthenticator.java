package dev.trainyard.api.auth;

import dev.trainyard.api.errors.InvalidTokenException;
import dev.trainyard.workflows.CallbackContract;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.dropwizard.auth.Authenticator;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a callback JWT. {@code parseSignedClaims} with an HMAC key accepts only tokens signed
 * with that key by an HS algorithm: unsigned ({@code alg:none}) and foreign-key tokens fail. The
 * reply and the log say why in fixed words, never echoing the token or the parser's message.
 *
 * <p>A signature proves only that the key signed it, so the lifetime is checked too: integer {@code
 * iat} and {@code exp}, {@code iat} not ahead of this clock by more than {@link #CLOCK_SKEW}, and
 * {@code exp - iat} no longer than the launcher ever mints ({@link
 * JobTimeouts#MAX_TOKEN_LIFETIME_SECONDS}). The optional {@code attempt} claim names the job's
 * attempt the token was minted for (absent: 1); anything but an integer 1..1000 is refused.
 */
public final class CallbackTokenAuthenticator implements Authenticator<String, CallbackPrincipal> {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackTokenAuthenticator.class);

  /** How far the worker that minted a token may run ahead of this API's clock. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** The highest attempt claim accepted; a job has at most 20 attempts. */
  static final long MAX_ATTEMPT = 1000;

  private final JwtParser parser;
  private final Clock clock;

  public CallbackTokenAuthenticator(SecretKey key, Clock clock) {
    this.clock = clock;
    this.parser =
        Jwts.parser()
            .verifyWith(key)
            .json(new IntegerTimeClaims())
            .clock(() -> Date.from(clock.instant()))
            .build();
  }

  /** A verified token: whom it speaks for, and until when. */
  public record Verified(CallbackPrincipal principal, Instant expiresAt) {}

  @Override
  public Optional<CallbackPrincipal> authenticate(String token) {
    return Optional.of(verify(token).principal());
  }

  /** Verifies signature, expiry and claims, or throws {@link InvalidTokenException} saying why. */
  public Verified verify(String token) {
    Claims claims;
    try {
      claims = parser.parseSignedClaims(token).getPayload();
    } catch (ExpiredJwtException e) {
      throw new InvalidTokenException("Token expired");
    } catch (JwtException | IllegalArgumentException e) {
      LOG.debug("callback token rejected: {}", e.getClass().getSimpleName());
      throw new InvalidTokenException("Invalid token");
    }
    if (claims.getExpiration() == null) {
      throw new InvalidTokenException("Invalid token: no expiry");
    }
    if (claims.getIssuedAt() == null) {
      throw new InvalidTokenException("Invalid token: no iat");
    }
    Instant issuedAt = claims.getIssuedAt().toInstant();
    Instant expiresAt = claims.getExpiration().toInstant();
    if (issuedAt.isAfter(clock.instant().plus(CLOCK_SKEW))) {
      throw new InvalidTokenException("Invalid token: iat is in the future");
    }
    if (Duration.between(issuedAt, expiresAt).toSeconds()
        > JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS) {
      throw new InvalidTokenException("Invalid token: lifetime longer than any token minted");
    }
    Long jobId = integral(claims.get(CallbackContract.CLAIM_JOB_ID));
    if (jobId == null) {
      throw new InvalidTokenException("Invalid token: no job_id");
    }
    Object scope = claims.get(CallbackContract.CLAIM_SCOPE);
    return new Verified(
        new CallbackPrincipal(jobId, scope instanceof String s ? s : null, attempt(claims)),
        expiresAt);
  }

  /** The attempt the token was minted for: 1 without the claim, else an integer 1..1000. */
  private static int attempt(Claims claims) {
    if (!claims.containsKey(CallbackContract.CLAIM_ATTEMPT)) {
      return 1;
    }
    Long attempt = integral(claims.get(CallbackContract.CLAIM_ATTEMPT));
    if (attempt == null || attempt < 1 || attempt > MAX_ATTEMPT) {
      throw new InvalidTokenException("Invalid token: bad attempt");
    }
    return attempt.intValue();
  }

  private static Long integral(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    return null;
  }
}
