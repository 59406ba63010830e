package dev.trainyard.app.dev;

import dev.trainyard.app.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The dev stack's callback-token key: TRAINYARD_JWT_SECRET when the user set it (as in a real
 * deployment), else 32 random bytes made once and kept (base64url text, mode 600) in the data
 * directory, so tokens stay valid across restarts. The text's UTF-8 bytes are the HS256 key on both
 * sides.
 */
final class DevSecret {
  static final String FILE_NAME = "jwt-secret";

  private DevSecret() {}

  /** The key the user set (already checked by {@link DevSettings}), else the kept one. */
  static String choose(Optional<String> configured, Path dataDirectory) throws IOException {
    if (configured.isPresent()) {
      return configured.get();
    }
    return loadOrCreate(dataDirectory);
  }

  static String loadOrCreate(Path dataDirectory) throws IOException {
    return loadOrCreateIn(dataDirectory.resolve(FILE_NAME));
  }

  /**
   * The secret kept in {@code file}, or 32 fresh random bytes (base64url) written there, mode 600:
   * the callback-token key, the embedded database's password.
   */
  static String loadOrCreateIn(Path file) throws IOException {
    if (Files.exists(file)) {
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!secret.isEmpty()) {
        return secret;
      }
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    writePrivate(file, secret);
    return secret;
  }

  /** Writes a file only its owner can read (see {@link PrivateFiles#write}). */
  static void writePrivate(Path file, String content) throws IOException {
    PrivateFiles.write(file, content);
  }
}
