package dev.trainyard.e2e.deploy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's variable interpolation, for the forms docker-compose.yml uses: {@code ${NAME}}, {@code
 * ${NAME:-default}}, {@code ${NAME:?message}} (compose refuses to start: so does this) and {@code
 * $$} for a literal dollar.
 */
final class Interpolation {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private Interpolation() {}

  static String apply(String text, Map<String, String> dotEnv) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String value = dotEnv.get(m.group(1));
        String operator = m.group(2) == null ? "" : m.group(2);
        boolean unset = value == null || (operator.startsWith(":") && value.isEmpty());
        if (operator.endsWith("?") && unset) {
          throw new IllegalStateException(
              "compose refuses to start: " + m.group(1) + " is not set (" + m.group(3) + ")");
        }
        replacement = unset ? (operator.endsWith("-") ? m.group(3) : "") : value;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
