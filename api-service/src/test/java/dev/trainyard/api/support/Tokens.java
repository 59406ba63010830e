package dev.trainyard.api.support;

import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Callback tokens, good and hostile, minted the way the launcher does (or an attacker would). */
public final class Tokens {
  private Tokens() {}

  public static SecretKey key(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public static String valid(long jobId) {
    return signed(jobId, "training-callback", Duration.ofHours(1), TestStack.JWT_SECRET);
  }

  /** A valid token of one attempt of the job: {@code attempt} is the claim as it is sent. */
  public static String ofAttempt(long jobId, Object attempt) {
    Instant now = Instant.now();
    return Jwts.builder()
        .claim("job_id", jobId)
        .claim("scope", "training-callback")
        .claim("attempt", attempt)
        .issuedAt(Date.from(now.minusSeconds(5)))
        .expiration(Date.from(now.plus(Duration.ofHours(1))))
        .signWith(key(TestStack.JWT_SECRET), Jwts.SIG.HS256)
        .compact();
  }

  public static String signed(long jobId, String scope, Duration ttl, String secret) {
    Instant now = Instant.now();
    return Jwts.builder()
        .claim("job_id", jobId)
        .claim("scope", scope)
        .issuedAt(Date.from(now.minusSeconds(5)))
        .expiration(Date.from(now.plus(ttl)))
        .signWith(key(secret), Jwts.SIG.HS256)
        .compact();
  }

  /** An unsigned token ({@code alg: none}) with otherwise perfect claims. */
  public static String unsigned(long jobId) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    long exp = Instant.now().plusSeconds(3600).getEpochSecond();
    String header =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        b64.encodeToString(
            ("{\"job_id\":"
                    + jobId
                    + ",\"scope\":\"training-callback\",\"iat\":"
                    + (exp - 3600)
                    + ",\"exp\":"
                    + exp
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + ".";
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }
}
