package dev.trainyard.api.auth;

import java.security.SecureRandom;
import java.time.Clock;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The callback token verifier and its key. */
public final class CallbackAuth {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackAuth.class);

  /** Enough for every running job's token; 100,000 tokens are about 40 MB. */
  private static final int VERIFIED_TOKENS = 100_000;

  private CallbackAuth() {}

  /** The verifier for {@code key}, remembering the tokens that verified. */
  public static VerifiedTokenCache tokens(SecretKey key) {
    Clock clock = Clock.systemUTC();
    return new VerifiedTokenCache(
        new CallbackTokenAuthenticator(key, clock), clock, VERIFIED_TOKENS);
  }

  /**
   * The configured secret's bytes as an HS256 key. Without one (dev mode only, enforced by the
   * configuration) a random key is used: no outside token verifies, so callbacks are closed.
   */
  public static SecretKey key(byte[] secret) {
    if (secret.length == 0) {
      LOG.warn(
          "no callbacks.jwtSecret configured: using a random key, trainer callbacks will be refused");
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
    }
    return new SecretKeySpec(secret, "HmacSHA256");
  }
}
