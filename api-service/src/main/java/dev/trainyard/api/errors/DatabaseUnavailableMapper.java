package dev.trainyard.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL could not be reached. The transaction did not commit, so nothing changed: answer 503
 * (which trainers and clients retry) rather than a 500 that reads like a bug. Other database errors
 * stay unexpected 500s with their logged error id.
 */
public final class DatabaseUnavailableMapper implements ExceptionMapper<JdbiException> {
  private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableMapper.class);

  /** SQLSTATE class 08 is "connection exception"; 57P01..03 an administrator or crash shutdown. */
  private static final String CONNECTION_CLASS = "08";

  private final UnexpectedExceptionMapper unexpected;

  public DatabaseUnavailableMapper(UnexpectedExceptionMapper unexpected) {
    this.unexpected = unexpected;
  }

  @Override
  public Response toResponse(JdbiException exception) {
    if (!isConnectionFailure(exception)) {
      return unexpected.toResponse(exception);
    }
    log.warn("database unavailable: {}", rootMessage(exception));
    return Problems.response(503, "the database is unavailable; nothing was changed, retry later");
  }

  static boolean isConnectionFailure(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith(CONNECTION_CLASS) || state.startsWith("57P0")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return String.valueOf(cause.getMessage());
  }
}
