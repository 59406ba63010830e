package dev.trainyard.app.cli;

/** No HTTP answer at all: the API is not running, or the address is wrong. */
public final class ApiUnreachableException extends RuntimeException {
  public ApiUnreachableException(String baseUrl, Throwable cause) {
    super(
        "cannot reach the Trainyard API at "
            + baseUrl
            + " ("
            + describe(cause)
            + "): is the API running? start it with ./trainyard dev, or point --api (or"
            + " TRAINYARD_API) at it",
        cause);
  }

  private static String describe(Throwable cause) {
    if (cause instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
