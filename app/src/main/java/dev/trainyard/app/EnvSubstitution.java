package dev.trainyard.app;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in configuration text, as Dropwizard does
 * for the API's YAML, so both processes' files read the same way. An unset variable without a
 * default is an error naming it, rather than an empty value discovered later.
 */
public final class EnvSubstitution {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private EnvSubstitution() {}

  public static String apply(String text, Map<String, String> environment) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String value = environment.get(matcher.group(1));
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "environment variable " + matcher.group(1) + " is not set and has no default");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
