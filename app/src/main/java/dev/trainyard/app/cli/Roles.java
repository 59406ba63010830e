package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The order of roles as the API applies it: viewer < member < admin within a project, and a global
 * admin (role admin, no project) above every project admin.
 */
final class Roles {
  static final List<String> PROJECT_ROLES =
      List.of(ApiAction.VIEWER, ApiAction.MEMBER, ApiAction.ADMIN);

  private Roles() {}

  /** Whether the key {@code whoami} describes holds less than {@code needed}. */
  static boolean below(JsonNode whoami, String needed) {
    return rank(whoami) < rank(needed);
  }

  static boolean isGlobalAdmin(JsonNode whoami) {
    return ApiAction.ADMIN.equals(whoami.path("role").asText()) && !whoami.hasNonNull("project");
  }

  private static int rank(JsonNode whoami) {
    return isGlobalAdmin(whoami) ? PROJECT_ROLES.size() : rank(whoami.path("role").asText());
  }

  private static int rank(String role) {
    return ApiAction.GLOBAL_ADMIN.equals(role) ? PROJECT_ROLES.size() : PROJECT_ROLES.indexOf(role);
  }
}
