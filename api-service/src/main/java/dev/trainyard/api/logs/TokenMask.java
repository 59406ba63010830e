package dev.trainyard.api.logs;

import java.util.regex.Pattern;

/**
 * Masks JWT-shaped text in trainer output: a trainer that prints its environment must not hand its
 * callback token to whoever reads the logs (the launchers mask their log tails the same way).
 */
final class TokenMask {
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+");

  private TokenMask() {}

  static String apply(String line) {
    return JWT.matcher(line).replaceAll("[redacted token]");
  }
}
