package dev.trainyard.store.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an API key looks like: {@code ty_<key id>_<secret>}. The prefix makes a leaked key
 * recognisable to secret scanners; the key id (60 random bits, base32) is public and names the key
 * in lists, audit entries and logs; the secret is 256 random bits. Only a SHA-256 of the whole key
 * is stored: a key is random and long, so a slow password hash would add nothing but latency (the
 * practice of GitHub's and Stripe's tokens).
 */
public final class ApiKeyFormat {
  public static final String PREFIX = "ty_";
  static final int KEY_ID_LENGTH = 12;
  static final int SECRET_BYTES = 32;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  /** A key id: safe in URLs, logs and file names. */
  public static final Pattern KEY_ID = Pattern.compile("[a-z2-7]{" + KEY_ID_LENGTH + "}");

  private static final Pattern KEY =
      Pattern.compile("ty_([a-z2-7]{" + KEY_ID_LENGTH + "})_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A fresh key id and secret. */
  static String newKey() {
    StringBuilder key = new StringBuilder(PREFIX);
    byte[] id = new byte[KEY_ID_LENGTH];
    RANDOM.nextBytes(id);
    for (byte b : id) {
      key.append(BASE32[b & 31]);
    }
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return key.append('_')
        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
        .toString();
  }

  /** The key id of a well-formed key; empty for anything else (never an exception). */
  public static Optional<String> keyId(String key) {
    if (key == null || key.length() != PREFIX.length() + KEY_ID_LENGTH + 1 + 43) {
      return Optional.empty();
    }
    var matcher = KEY.matcher(key);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** What is stored for a key, and what a presented key is compared with. */
  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
