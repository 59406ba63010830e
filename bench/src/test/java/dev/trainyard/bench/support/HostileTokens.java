package dev.trainyard.bench.support;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/** Callback tokens an attacker (or a broken trainer) might present. */
public final class HostileTokens {
  private final byte[] secret;

  public HostileTokens(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Name → token, each one of which the callback API must refuse for {@code jobId}. */
  public Map<String, String> forJob(long jobId, String otherJobsToken) {
    Instant now = Instant.now();
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put(
        "alg_none",
        unsigned(
            "{\"alg\":\"none\",\"typ\":\"JWT\"}",
            "{\"job_id\":"
                + jobId
                + ",\"scope\":\"training-callback\",\"iat\":"
                + now.getEpochSecond()
                + ",\"exp\":"
                + now.plusSeconds(3600).getEpochSecond()
                + "}"));
    tokens.put(
        "wrong_key",
        sign(
            "another-secret-that-is-long-enough-for-hs256!!".getBytes(StandardCharsets.UTF_8),
            jobId,
            "training-callback",
            now.plusSeconds(3600)));
    tokens.put("expired", sign(secret, jobId, "training-callback", now.minusSeconds(60)));
    tokens.put("other_job", otherJobsToken);
    tokens.put("wrong_scope", sign(secret, jobId, "admin", now.plusSeconds(3600)));
    tokens.put(
        "no_scope",
        Jwts.builder()
            .claim("job_id", jobId)
            .expiration(Date.from(now.plusSeconds(600)))
            .signWith(Keys.hmacShaKeyFor(secret))
            .compact());
    tokens.put(
        "job_id_as_string",
        Jwts.builder()
            .claim("job_id", Long.toString(jobId))
            .claim("scope", "training-callback")
            .expiration(Date.from(now.plusSeconds(600)))
            .signWith(Keys.hmacShaKeyFor(secret))
            .compact());
    tokens.put(
        "no_job_id",
        Jwts.builder()
            .claim("scope", "training-callback")
            .expiration(Date.from(now.plusSeconds(600)))
            .signWith(Keys.hmacShaKeyFor(secret))
            .compact());
    String good = sign(secret, jobId, "training-callback", now.plus(Duration.ofHours(1)));
    String[] parts = good.split("\\.");
    tokens.put(
        "tampered_payload",
        parts[0]
            + "."
            + b64(
                "{\"job_id\":"
                    + (jobId + 1)
                    + ",\"scope\":\"training-callback\",\"exp\":"
                    + now.plusSeconds(3600).getEpochSecond()
                    + "}")
            + "."
            + parts[2]);
    tokens.put("signature_stripped", parts[0] + "." + parts[1] + ".");
    tokens.put("garbage", "not.a.jwt");
    tokens.put("empty", "");
    tokens.put("huge", "a".repeat(20_000));
    return tokens;
  }

  /**
   * Name → token signed with the right key, scope and job, whose lifetime claims are what issue 12
   * says must be refused: unbounded, non-numeric, or issued in the future.
   */
  public Map<String, String> badLifetimes(long jobId) {
    long now = Instant.now().getEpochSecond();
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("exp in the year 9999", claims(jobId, "\"iat\":" + now + ",\"exp\":253402300799"));
    tokens.put(
        "exp as a string", claims(jobId, "\"iat\":" + now + ",\"exp\":\"" + (now + 600) + "\""));
    tokens.put(
        "exp as a float", claims(jobId, "\"iat\":" + now + ",\"exp\":" + (now + 600) + ".5"));
    tokens.put(
        "iat a year in the future",
        claims(jobId, "\"iat\":" + (now + 31_536_000) + ",\"exp\":" + (now + 31_536_600)));
    tokens.put(
        "exp - iat of ten years",
        claims(jobId, "\"iat\":" + now + ",\"exp\":" + (now + 315_360_000)));
    tokens.put("iat as a string", claims(jobId, "\"iat\":\"" + now + "\",\"exp\":" + (now + 600)));
    tokens.put("no iat", claims(jobId, "\"exp\":" + (now + 600)));
    tokens.put("no exp", claims(jobId, "\"iat\":" + now));
    tokens.put(
        "job_id as a float",
        signRaw(
            "{\"job_id\":"
                + jobId
                + ".0,\"scope\":\"training-callback\",\"iat\":"
                + now
                + ",\"exp\":"
                + (now + 600)
                + "}"));
    return tokens;
  }

  private String claims(long jobId, String lifetime) {
    return signRaw("{\"job_id\":" + jobId + ",\"scope\":\"training-callback\"," + lifetime + "}");
  }

  /** HS256 over exactly this payload text (jjwt's builder would normalise the claim types). */
  private String signRaw(String payload) {
    String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(payload);
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(byte[] key, long jobId, String scope, Instant expires) {
    return Jwts.builder()
        .claim("job_id", jobId)
        .claim("scope", scope)
        .issuedAt(Date.from(expires.minusSeconds(7200)))
        .expiration(Date.from(expires))
        .signWith(Keys.hmacShaKeyFor(key), Jwts.SIG.HS256)
        .compact();
  }

  private static String unsigned(String header, String payload) {
    return b64(header) + "." + b64(payload) + ".";
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
