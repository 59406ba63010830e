package dev.trainyard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.api.auth.CallbackTokenAuthenticator;
import dev.trainyard.api.auth.VerifiedTokenCache;
import dev.trainyard.api.errors.InvalidTokenException;
import dev.trainyard.api.support.TestStack;
import dev.trainyard.api.support.Tokens;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Remembered tokens save the verification, never the checks: expiry still ends them. */
class VerifiedTokenCacheTest {
  private final VerifiedTokenCache cache =
      new VerifiedTokenCache(
          new CallbackTokenAuthenticator(Tokens.key(TestStack.JWT_SECRET), Clock.systemUTC()),
          Clock.systemUTC(),
          2);

  @Test
  void aVerifiedTokenIsRememberedUntilItExpiresAndThenRefused() throws Exception {
    String token =
        Tokens.signed(7, "training-callback", Duration.ofSeconds(2), TestStack.JWT_SECRET);
    assertThat(cache.remembered(token)).isEmpty();

    assertThat(cache.authenticate(token))
        .hasValueSatisfying(p -> assertThat(p.jobId()).isEqualTo(7));
    assertThat(cache.remembered(token)).isPresent();

    Thread.sleep(2_100);
    assertThat(cache.remembered(token)).isEmpty();
    assertThatThrownBy(() -> cache.authenticate(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("Token expired");
  }

  @Test
  void aRememberedTokenKeepsItsAttempt() throws Exception {
    String second = Tokens.ofAttempt(7, 2);
    assertThat(cache.authenticate(second))
        .hasValueSatisfying(p -> assertThat(p.attempt()).isEqualTo(2));
    assertThat(cache.remembered(second))
        .hasValueSatisfying(p -> assertThat(p.attempt()).isEqualTo(2));
    assertThat(cache.authenticate(Tokens.valid(7)))
        .hasValueSatisfying(p -> assertThat(p.attempt()).isEqualTo(1)); // no claim: attempt 1
  }

  @Test
  void refusedTokensAreNeverRemembered() {
    String foreign =
        Tokens.signed(
            7, "training-callback", Duration.ofHours(1), "another-secret-of-32-bytes-or-more!!");
    for (String token : new String[] {foreign, Tokens.unsigned(7), "not.a.jwt"}) {
      assertThatThrownBy(() -> cache.authenticate(token)).isInstanceOf(InvalidTokenException.class);
      assertThat(cache.remembered(token)).isEmpty();
    }
  }

  @Test
  void theCacheStaysBounded() throws Exception {
    String first = Tokens.valid(1);
    cache.authenticate(first);
    cache.authenticate(Tokens.valid(2));
    cache.authenticate(Tokens.valid(3)); // over the bound of 2: the map starts again

    assertThat(cache.remembered(first)).isEmpty();
    assertThat(cache.authenticate(first)).isPresent(); // verified again, not refused
  }
}
