package dev.trainyard.app.cli;

import java.util.Map;

/**
 * 403: a valid key whose role may not do what was asked. Carries the key's own role and project
 * (read back with {@code GET /v1/whoami} when the refusal came) and what the call needed, so the
 * message can say which key to ask for.
 */
public final class AccessDeniedException extends ApiException {
  private final ApiAction action;
  private final String keyRole;
  private final String keyProject;

  AccessDeniedException(
      int status,
      String title,
      String detail,
      Map<String, String> fieldErrors,
      ApiAction action,
      String keyRole,
      String keyProject) {
    super(status, title, detail, fieldErrors);
    this.action = action;
    this.keyRole = keyRole;
    this.keyProject = keyProject;
  }

  /** The key's role, or null when whoami could not tell. */
  public String keyRole() {
    return keyRole;
  }

  /** The key's project, or null for a global admin key (or when whoami could not tell). */
  public String keyProject() {
    return keyProject;
  }

  /** One line: who you are, what you may not do, whom to ask. */
  public String line() {
    String who =
        keyRole == null
            ? "your key"
            : "your key (role "
                + keyRole
                + (keyProject == null ? ", global" : " in project " + keyProject)
                + ")";
    String what = action == null ? "do this" : action.what();
    return who + " may not " + what + "; " + askFor();
  }

  private String askFor() {
    if (action == null) {
      return "ask a project admin for a key with a higher role";
    }
    return switch (action.needs()) {
      case ApiAction.GLOBAL_ADMIN -> "only a global admin key may; ask your Trainyard operator";
      case ApiAction.ADMIN -> "ask a project admin for an admin key";
      default -> "ask a project admin for a " + action.needs() + " key";
    };
  }

  @Override
  public String hint() {
    return "";
  }
}
