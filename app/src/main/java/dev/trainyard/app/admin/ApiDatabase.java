package dev.trainyard.app.admin;

import com.codahale.metrics.MetricRegistry;
import dev.trainyard.app.StartupException;
import dev.trainyard.app.server.ApiConfigurations;
import dev.trainyard.store.Database;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The database an API configuration names, opened as {@code trainyard server} would open it: the
 * same YAML read the same way (Dropwizard's factory, {@code ${VAR:-default}} from the environment,
 * validation of the whole file), then the migrations applied, so a key can be made before the API
 * has ever started.
 */
final class ApiDatabase implements AutoCloseable {
  private final ManagedDataSource dataSource;
  private final Jdbi jdbi;
  private final String url;

  private ApiDatabase(ManagedDataSource dataSource, Jdbi jdbi, String url) {
    this.dataSource = dataSource;
    this.jdbi = jdbi;
    this.url = url;
  }

  static ApiDatabase open(Path configFile, Map<String, String> environment) {
    DataSourceFactory database = ApiConfigurations.load(configFile, environment).getDatabase();
    ManagedDataSource dataSource = database.build(new MetricRegistry(), "trainyard-admin");
    try {
      Database.migrate(dataSource);
      return new ApiDatabase(dataSource, Database.connect(dataSource), server(database.getUrl()));
    } catch (RuntimeException e) {
      stop(dataSource);
      throw new StartupException(
          "cannot open the database " + server(database.getUrl()) + " of " + configFile, e);
    }
  }

  /**
   * The URL without its parameters, for messages: a JDBC URL may carry {@code ?password=…}, and
   * what names the server is enough to tell which database was meant.
   */
  static String server(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    stop(dataSource);
  }

  private static void stop(ManagedDataSource dataSource) {
    try {
      dataSource.stop();
    } catch (Exception e) {
      // Closing a pool at exit: nothing left to save.
    }
  }
}
