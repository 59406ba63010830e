package dev.trainyard.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server run from Maven-provided binaries, for the dev stack and tests. With a
 * data directory it keeps its data across restarts; without one it is thrown away on close.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  public static final String DATABASE = "postgres";
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on {@code port} (0 = any free port) and applies the migrations. */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      if (dataDirectory != null) {
        // A kept database belongs to a stack that closes it in order (after the API and the
        // worker): zonky's own shutdown hook would stop it under their feet.
        builder
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false);
      }
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedDatabase db = new EmbeddedDatabase(builder.start());
      Database.migrate(db.dataSource());
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  public static EmbeddedDatabase startTemporary() {
    return start(null, 0);
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

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
