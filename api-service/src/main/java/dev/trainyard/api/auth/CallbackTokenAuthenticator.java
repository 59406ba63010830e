package dev.trainyard.api.auth;

import dev.trainyard.api.errors.InvalidTokenException;
import dev.trainyard.workflows.CallbackContract;
import io.dropwizard.auth.Authenticator;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a callback JWT. {@code parseSignedClaims} with an HMAC key accepts only tokens signed
 * with that key by an HS algorithm: unsigned ({@code alg:none}) and foreign-key tokens fail. The
 * reply and the log say why in fixed words, never echoing the token or the parser's message.
 */
public final class CallbackTokenAuthenticator implements Authenticator<String, CallbackPrincipal> {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackTokenAuthenticator.class);
  private final JwtParser parser;

  public CallbackTokenAuthenticator(SecretKey key) {
    this.parser = Jwts.parser().verifyWith(key).build();
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
    Long jobId = integral(claims.get(CallbackContract.CLAIM_JOB_ID));
    if (jobId == null) {
      throw new InvalidTokenException("Invalid token: no job_id");
    }
    Object scope = claims.get(CallbackContract.CLAIM_SCOPE);
    return new Verified(
        new CallbackPrincipal(jobId, scope instanceof String s ? s : null),
        claims.getExpiration().toInstant());
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
