package dev.trainyard.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.workflows.CallbackContract;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackTokenIssuerTest {
  static final byte[] SECRET =
      "a-test-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);

  static Jws<Claims> verify(String token) {
    return Jwts.parser().verifyWith(Keys.hmacShaKeyFor(SECRET)).build().parseSignedClaims(token);
  }

  @Test
  void mintsAnHs256TokenWithTheContractClaims() {
    String token = new CallbackTokenIssuer(SECRET).mint(42L, 1, Duration.ofHours(2));

    Jws<Claims> jws = verify(token);
    JwsHeader header = jws.getHeader();
    Claims claims = jws.getPayload();
    assertThat(header.getAlgorithm()).isEqualTo("HS256");
    assertThat(claims.get(CallbackContract.CLAIM_JOB_ID)).isInstanceOf(Number.class);
    assertThat(claims.get(CallbackContract.CLAIM_JOB_ID, Long.class)).isEqualTo(42L);
    assertThat(claims.get(CallbackContract.CLAIM_SCOPE)).isEqualTo("training-callback");
    assertThat(claims.get(CallbackContract.CLAIM_ATTEMPT)).isEqualTo(1);
    assertThat(claims.getExpiration().getTime() - claims.getIssuedAt().getTime())
        .isEqualTo(Duration.ofHours(2).toMillis());
    assertThat(claims.getIssuedAt().getTime())
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
  }

  @Test
  void eachAttemptsTokenNamesItsAttemptAsAnInteger() {
    CallbackTokenIssuer issuer = new CallbackTokenIssuer(SECRET);

    Claims claims = verify(issuer.mint(42L, 3, Duration.ofHours(1))).getPayload();

    assertThat(claims.get(CallbackContract.CLAIM_ATTEMPT)).isInstanceOf(Integer.class);
    assertThat(claims.get("attempt", Integer.class)).isEqualTo(3);
    assertThat(claims.get(CallbackContract.CLAIM_JOB_ID, Long.class)).isEqualTo(42L);
    assertThatThrownBy(() -> issuer.mint(42L, 0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.mint(42L, 1001, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAShortSecretWithoutRevealingIt() {
    byte[] shortSecret = "only-31-bytes-long-secret-value".getBytes(StandardCharsets.UTF_8);
    assertThat(shortSecret).hasSize(31);

    assertThatThrownBy(() -> new CallbackTokenIssuer(shortSecret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("31 bytes")
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining("only-31");
  }

  @Test
  void rejectsAMissingSecretAndAnEmptyLifetime() {
    assertThatThrownBy(() -> new CallbackTokenIssuer(null))
        .isInstanceOf(NullPointerException.class);
    CallbackTokenIssuer issuer = new CallbackTokenIssuer(SECRET);
    assertThatThrownBy(() -> issuer.mint(1, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLongestJobsTokenIsTheLongestTheApiAcceptsAndNothingLongerIsMinted() {
    JobTimeouts longest =
        new JobTimeouts(
            JobTimeouts.MAX_HEARTBEAT_TIMEOUT,
            JobTimeouts.MAX_STARTUP_TIMEOUT,
            JobTimeouts.MAX_MAX_RUNTIME,
            JobTimeouts.MAX_CANCEL_GRACE);
    assertThat(longest.tokenLifetimeSeconds()).isEqualTo(JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS);
    CallbackTokenIssuer issuer = new CallbackTokenIssuer(SECRET);

    Claims claims =
        verify(issuer.mint(1, 1, Duration.ofSeconds(longest.tokenLifetimeSeconds()))).getPayload();
    assertThat(claims.getExpiration().getTime() - claims.getIssuedAt().getTime())
        .isEqualTo(JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS * 1000);
    assertThatThrownBy(
            () -> issuer.mint(1, 1, Duration.ofSeconds(JobTimeouts.MAX_TOKEN_LIFETIME_SECONDS + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the longest the API accepts");
  }

  @Test
  void keepsUsingItsOwnCopyOfTheSecret() {
    byte[] secret = SECRET.clone();
    CallbackTokenIssuer issuer = new CallbackTokenIssuer(secret);
    java.util.Arrays.fill(secret, (byte) 0);

    assertThat(
            verify(issuer.mint(7, 1, Duration.ofMinutes(1))).getPayload().get("job_id", Long.class))
        .isEqualTo(7L);
    assertThat(issuer.toString()).doesNotContain("a-test-secret");
  }
}
