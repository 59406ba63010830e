package dev.trainyard.app.cli;

import java.util.Map;

/**
 * The API answered with an error (problem+json): carries what the user needs to fix it. A refused
 * key (401) and a role too low (403) are the subclasses {@link ApiKeyRefusedException} and {@link
 * AccessDeniedException}, which say in one line what to do.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String detail;
  private final Map<String, String> fieldErrors;

  public ApiException(int status, String title, String detail, Map<String, String> fieldErrors) {
    super("HTTP " + status + " " + title + (detail == null ? "" : ": " + detail));
    this.status = status;
    this.detail = detail == null ? title : detail;
    this.fieldErrors = Map.copyOf(fieldErrors);
  }

  public int status() {
    return status;
  }

  public String detail() {
    return detail;
  }

  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }

  /** A next step for the user, by status: what usually causes it and what to try. */
  public String hint() {
    return switch (status) {
      case 400, 422 -> "fix the values above and try again (see: trainyard <command> --help)";
      case 404 ->
          "check the id (trainyard list, trainyard dataset list, trainyard projects list); what"
              + " belongs to a project your key cannot see is not found either";
      case 409 ->
          "it already exists, the job already ended, or the idempotency key was used for another"
              + " request; see: trainyard status <id>";
      case 413 -> "the request is too large; send fewer or smaller hyperparameters";
      default ->
          status >= 500
              ? "the server failed; its log has the details (in dev mode: <data dir>/logs/trainyard.log)"
              : "";
    };
  }
}
