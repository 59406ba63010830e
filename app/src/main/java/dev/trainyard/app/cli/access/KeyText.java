package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.TerminalText;

/**
 * How keys and identities read on the terminal. Names, projects and ids come from the API (a key's
 * name is whatever its creator typed), so every field is escaped.
 */
final class KeyText {
  private KeyText() {}

  /** "role member in project alpha" or "global admin". */
  static String role(JsonNode key) {
    String role = key.path("role").asText();
    if (!key.hasNonNull("project")) {
      return "admin".equals(role) ? "global admin" : "role " + text(key.path("role")) + ", global";
    }
    return "role " + text(key.path("role")) + " in project " + text(key.get("project"));
  }

  /** "key abcdefghijkl (ci): role member in project alpha, expires 2026-01-01T00:00:00Z". */
  static String identity(JsonNode key) {
    return "key "
        + text(key.path("key_id"))
        + " ("
        + text(key.path("name"))
        + "): "
        + role(key)
        + expiry(key);
  }

  static String expiry(JsonNode key) {
    return key.hasNonNull("expires_at") ? ", expires " + text(key.get("expires_at")) : "";
  }

  static String header() {
    return String.format(
        "%-12s  %-20s  %-6s  %-12s  %-24s  %-24s  %s",
        "KEY ID", "NAME", "ROLE", "PROJECT", "CREATED", "LAST USED", "STATE");
  }

  static String row(JsonNode key) {
    return String.format(
        "%-12s  %-20s  %-6s  %-12s  %-24s  %-24s  %s",
        text(key.path("key_id")),
        text(key.path("name")),
        text(key.path("role")),
        key.hasNonNull("project") ? text(key.get("project")) : "(global)",
        text(key.path("created_at")),
        key.hasNonNull("last_used_at") ? text(key.get("last_used_at")) : "never",
        state(key));
  }

  private static String state(JsonNode key) {
    if (key.hasNonNull("revoked_at")) {
      return "revoked " + text(key.get("revoked_at"));
    }
    if (key.hasNonNull("expires_at")) {
      return "expires " + text(key.get("expires_at"));
    }
    return "active";
  }

  static String text(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode()
        ? "-"
        : TerminalText.escape(value.asText());
  }
}
