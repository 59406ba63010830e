package dev.trainyard.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server run from Maven-provided binaries, for the dev stack and tests. With a
 * data directory it keeps its data across restarts; without one it is thrown away on close. It
 * listens on localhost only, with no Unix socket (whose default folder, /tmp, every local user can
 * reach); with a password file, user {@value #USER} needs that password (scram-sha-256) instead of
 * being trusted.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  public static final String DATABASE = "postgres";
  public static final String USER = "postgres";

  private static final Pattern TRUST =
      Pattern.compile("(?m)^(\\s*(?:local|host)\\b.*?)\\btrust\\s*$");

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /** Starts PostgreSQL on {@code port} (0 = any free port), trusting local connections. */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    return start(dataDirectory, port, null);
  }

  /**
   * Starts PostgreSQL on {@code port} (0 = any free port) and applies the migrations. With a {@code
   * passwordFile} (its first line is the password; the caller keeps it mode 600), a new cluster is
   * made with that password and scram-sha-256 for every connection (initdb's --auth/--pwfile,
   * through zonky's initdb options), and a cluster an older version made with trust gets the
   * password and its pg_hba.conf changed once.
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port, Path passwordFile) {
    try {
      String password =
          passwordFile == null
              ? null
              : Files.readString(passwordFile, StandardCharsets.UTF_8)
                  .lines()
                  .findFirst()
                  .orElse("");
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("unix_socket_directories", "");
      if (dataDirectory != null) {
        // A kept database belongs to a stack that closes it in order (after the API and the
        // worker): zonky's own shutdown hook would stop it under their feet.
        builder
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false);
      }
      if (password != null) {
        builder
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString())
            .setConnectConfig("password", password);
      }
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedDatabase db = new EmbeddedDatabase(builder.start(), password);
      if (password != null && dataDirectory != null) {
        db.requirePassword(dataDirectory.resolve("pg_hba.conf"));
      }
      Database.migrate(db.dataSource());
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  public static EmbeddedDatabase startTemporary() {
    return start(null, 0);
  }

  /**
   * A cluster made before passwords (initdb -A trust): set the password, then ask for it. Until the
   * reload, the old trust rules apply, as they did before.
   */
  private void requirePassword(Path hba) throws IOException {
    String rules = Files.readString(hba, StandardCharsets.UTF_8);
    if (!TRUST.matcher(rules).find()) {
      return;
    }
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET password_encryption = 'scram-sha-256'");
      statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
      Files.writeString(
          hba, TRUST.matcher(rules).replaceAll("$1scram-sha-256"), StandardCharsets.UTF_8);
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("could not set the embedded PostgreSQL password", e);
    }
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  /** The password user {@value #USER} connects with; "" when the server trusts local users. */
  public String password() {
    return password == null ? "" : password;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
