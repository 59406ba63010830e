package dev.trainyard.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.jackson2.Jackson2Plugin;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Schema migrations and JDBI set-up, shared by every process that touches the record. */
public final class Database {
  private Database() {}

  /**
   * Applies the versioned migrations under {@code db/migration}; safe to call from every process.
   */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  /** Adds the plugins the DAOs rely on (SQL objects, PostgreSQL types, JSONB via Jackson). */
  public static Jdbi configure(Jdbi jdbi) {
    return jdbi.installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin())
        .installPlugin(new Jackson2Plugin());
  }

  public static Jdbi connect(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }

  /**
   * Computes these SQL objects' metadata once, on the Jdbi itself, for code that attaches them to
   * its own handles ({@code handle.attach}, to share a transaction). Each handle starts from a copy
   * of the Jdbi's metadata cache and keeps what it computes to itself, so a type that only {@code
   * attach} ever sees is analysed again, with reflection, on every handle (jdbi/jdbi#2991, fixed
   * after the 3.51 that Dropwizard 5.0 brings). Call it after the Jdbi is configured.
   */
  public static void prepareSqlObjects(Jdbi jdbi, Class<?>... sqlObjects) {
    for (Class<?> type : sqlObjects) {
      // withExtension resolves on the Jdbi's own config; the handle it would open is never needed
      jdbi.withExtension(type, attached -> null);
    }
  }
}
