package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.app.StartupException;
import dev.trainyard.workflows.CallbackContract;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack signs and checks callback tokens with the TRAINYARD_JWT_SECRET the user set, as
 * production does, so a token minted with that key (by a trainer or a worker started elsewhere) is
 * accepted; it keeps a key of its own only when none is set.
 */
class DevJwtSecretTest {
  private static final String USER_SECRET = "a-user-supplied-key-of-forty-bytes-0123";

  @TempDir Path dataDirectory;

  @Test
  void aSecretThatIsSetSignsAndChecksTheCallbackTokens() throws Exception {
    Map<String, String> env = environment();
    env.put("TRAINYARD_JWT_SECRET", USER_SECRET);
    DevSettings settings = DevSettings.fromEnvironment(env, Path.of("")).withConsoleInfo(false);

    try (DevStack stack = DevStack.start(settings)) {
      assertThat(stack.jwtSecret()).isEqualTo(USER_SECRET);
      // A job that does not exist: past authentication the answer is "no such job", not 401.
      assertThat(heartbeat(stack, token(USER_SECRET))).isNotEqualTo(401);
      assertThat(heartbeat(stack, token("another-key-of-forty-bytes-0123456789ab"))).isEqualTo(401);
    }
    assertThat(dataDirectory.resolve(DevSecret.FILE_NAME)).doesNotExist();
  }

  @Test
  void aSecretShorterThanHs256NeedsIsRefusedBeforeAnythingStarts() {
    Map<String, String> env = environment();
    env.put("TRAINYARD_JWT_SECRET", "too-short");

    assertThatThrownBy(() -> DevSettings.fromEnvironment(env, Path.of("")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("TRAINYARD_JWT_SECRET")
        .hasMessageContaining("at least " + CallbackContract.MIN_SECRET_BYTES + " bytes");
    assertThat(Files.exists(dataDirectory.resolve("postgres"))).isFalse();
  }

  @Test
  void withoutASecretTheStackKeepsOneOfItsOwnInTheDataDirectory() throws Exception {
    String first = DevSecret.loadOrCreate(dataDirectory);

    assertThat(first.getBytes(StandardCharsets.UTF_8).length)
        .isGreaterThanOrEqualTo(CallbackContract.MIN_SECRET_BYTES);
    assertThat(DevSecret.loadOrCreate(dataDirectory)).isEqualTo(first);
  }

  /** Free ports, the data dir of this test, no temporal on PATH: the in-memory test server. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put(DevSettings.DATA_DIR_ENV, dataDirectory.toString());
    env.put(DevSettings.HTTP_PORT_ENV, "0");
    env.put(DevSettings.TEMPORAL_PORT_ENV, "0");
    return env;
  }

  private static String token(String secret) {
    Instant now = Instant.now();
    return Jwts.builder()
        .claim(CallbackContract.CLAIM_JOB_ID, 987654321L)
        .claim(CallbackContract.CLAIM_SCOPE, CallbackContract.SCOPE)
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plusSeconds(600)))
        .signWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
        .compact();
  }

  private static int heartbeat(DevStack stack, String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/jobs/987654321/heartbeat"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"trace_id\":\"t\",\"epoch\":1,\"progress\":1,\"metrics\":{}}"))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
