package dev.trainyard.e2e.deploy;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Values for the secrets a deploy needs, made as .env.example says: {@code openssl rand -hex}. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  static String hex(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
