package dev.trainyard.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.ExtensionMetadata;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.sqlobject.SqlObjectFactory;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A prepared SQL object is analysed once: every handle that attaches it reuses that analysis. */
class PreparedSqlObjectsTest {
  interface Arithmetic {
    @SqlQuery("SELECT :a + 1")
    int plusOne(@Bind("a") int a);
  }

  static EmbeddedDatabase database;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.startTemporary();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void handlesReuseThePreparedMetadataAndTheObjectStillWorks() {
    Jdbi jdbi = Database.connect(database.dataSource());
    Database.prepareSqlObjects(jdbi, Arithmetic.class);
    ExtensionFactory sqlObjects =
        jdbi.getConfig(Extensions.class).findFactory(SqlObjectFactory.class).orElseThrow();

    try (Handle first = jdbi.open();
        Handle second = jdbi.open()) {
      // unprepared, each handle would compute (and keep to itself) an analysis of its own
      ExtensionMetadata seenByFirst =
          first.getConfig(Extensions.class).findMetadata(Arithmetic.class, sqlObjects);
      ExtensionMetadata seenBySecond =
          second.getConfig(Extensions.class).findMetadata(Arithmetic.class, sqlObjects);
      assertThat(seenBySecond).isSameAs(seenByFirst);
      assertThat(jdbi.getConfig(Extensions.class).findMetadata(Arithmetic.class, sqlObjects))
          .isSameAs(seenByFirst);
      assertThat(first.attach(Arithmetic.class).plusOne(41)).isEqualTo(42);
    }
  }
}
