package dev.trainyard.worker.config;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

/**
 * The worker YAML's {@code database} block: the job record's PostgreSQL. Fewer settings than the
 * API's {@code DataSourceFactory}, because the worker's pool needs no tuning beyond its size.
 */
public final class DatabaseSettings {
  @JsonProperty
  @NotEmpty
  @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql: URL")
  private String url;

  @JsonProperty private String user;

  @JsonProperty private String password;

  /** 8 when absent. */
  @JsonProperty
  @Min(1)
  private Integer maxConnections;

  public String url() {
    return url;
  }

  /** A pool that opens one connection at start and grows to {@code maxConnections}. */
  public ManagedDataSource build(String name) {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    factory.setUrl(url);
    factory.setUser(user);
    factory.setPassword(password);
    factory.setMaxSize(maxConnections == null ? 8 : maxConnections);
    factory.setMinSize(1);
    factory.setInitialSize(1);
    return factory.build(new MetricRegistry(), name);
  }

  @Override
  public String toString() {
    return "Database[url=" + url + ", user=" + user + ", password=<redacted>]";
  }
}
