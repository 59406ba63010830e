package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.app.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev stack's PostgreSQL asks for a password (generated once, kept in the data dir, mode 600)
 * instead of trusting every local user, keeps it across restarts, and says what to do when the file
 * is lost.
 */
class DevDatabasePasswordTest {
  @TempDir Path data;

  @Test
  void theDatabaseWantsThePasswordKeptInTheDataDirAndNothingElse() throws Exception {
    DevSettings settings = DevSettings.forTests(data);
    String password;
    try (DevStack stack = DevStack.start(settings)) {
      password = Files.readString(settings.databasePasswordFile()).strip();

      assertThat(password).hasSizeGreaterThanOrEqualTo(40);
      assertThat(stack.databasePassword()).isEqualTo(password);
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(settings.databasePasswordFile())))
          .isEqualTo("rw-------");
      DriverManager.getConnection(stack.jdbcUrl(), "postgres", password).close();
      assertThatThrownBy(() -> DriverManager.getConnection(stack.jdbcUrl(), "postgres", ""))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(stack.jdbcUrl(), "postgres", "postgres"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      assertThat(stack.summary()).contains(settings.databasePasswordFile().toString());
      assertThat(stack.summary()).doesNotContain(password);
    }
    try (DevStack again = DevStack.start(settings)) {
      assertThat(again.databasePassword()).isEqualTo(password);
    }

    Files.delete(settings.databasePasswordFile());
    assertThatThrownBy(() -> DevStack.start(settings))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("needs the password that was kept in")
        .hasMessageContaining("delete " + data.resolve("postgres"));
  }
}
