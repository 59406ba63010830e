package dev.trainyard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.api.config.CallbackApiFactory;
import dev.trainyard.api.config.CallbackPortRule;
import dev.trainyard.api.config.RetryDefaultsFactory;
import dev.trainyard.api.config.TemporalFactory;
import dev.trainyard.api.config.UserApiFactory;
import dev.trainyard.api.dashboard.DashboardFactory;
import dev.trainyard.api.logs.LogsFactory;
import dev.trainyard.api.metrics.PrometheusFactory;
import dev.trainyard.api.storage.StorageFactory;
import dev.trainyard.workflows.CallbackContract;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * Everything the API process needs, read once from YAML (with {@code ${ENV:-default}}) and
 * validated.
 */
public class TrainyardApiConfiguration extends Configuration {
  @Valid @NotNull private DataSourceFactory database = new DataSourceFactory();
  @Valid @NotNull private TemporalFactory temporal = new TemporalFactory();
  @Valid @NotNull private CallbackApiFactory callbacks = new CallbackApiFactory();
  @Valid @NotNull private UserApiFactory userApi = new UserApiFactory();
  @Valid @NotNull private LogsFactory logs = new LogsFactory();
  @Valid @NotNull private DashboardFactory dashboard = new DashboardFactory();
  @Valid @NotNull private PrometheusFactory prometheus = new PrometheusFactory();
  @Valid @NotNull private RetryDefaultsFactory retry = new RetryDefaultsFactory();

  /** Optional: S3-compatible storage for dataset uploads and artifact downloads. */
  @Valid private StorageFactory storage;

  /**
   * Relaxes production-only requirements (a callback secret may be absent: a random one is used).
   */
  private boolean devMode;

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public TemporalFactory getTemporal() {
    return temporal;
  }

  @JsonProperty
  public void setTemporal(TemporalFactory temporal) {
    this.temporal = temporal;
  }

  @JsonProperty
  public CallbackApiFactory getCallbacks() {
    return callbacks;
  }

  @JsonProperty
  public void setCallbacks(CallbackApiFactory callbacks) {
    this.callbacks = callbacks;
  }

  @JsonProperty
  public UserApiFactory getUserApi() {
    return userApi;
  }

  @JsonProperty
  public void setUserApi(UserApiFactory userApi) {
    this.userApi = userApi;
  }

  @JsonProperty
  public StorageFactory getStorage() {
    return storage;
  }

  @JsonProperty
  public void setStorage(StorageFactory storage) {
    this.storage = storage;
  }

  @JsonProperty
  public LogsFactory getLogs() {
    return logs;
  }

  @JsonProperty
  public void setLogs(LogsFactory logs) {
    this.logs = logs;
  }

  @JsonProperty
  public DashboardFactory getDashboard() {
    return dashboard;
  }

  @JsonProperty
  public void setDashboard(DashboardFactory dashboard) {
    this.dashboard = dashboard;
  }

  @JsonProperty
  public PrometheusFactory getPrometheus() {
    return prometheus;
  }

  @JsonProperty
  public void setPrometheus(PrometheusFactory prometheus) {
    this.prometheus = prometheus;
  }

  @JsonProperty
  public RetryDefaultsFactory getRetry() {
    return retry;
  }

  @JsonProperty
  public void setRetry(RetryDefaultsFactory retry) {
    this.retry = retry;
  }

  @JsonProperty
  public boolean isDevMode() {
    return devMode;
  }

  @JsonProperty
  public void setDevMode(boolean devMode) {
    this.devMode = devMode;
  }

  // Dropwizard's validator reports this under the property name "callbackSecretUsable".
  @ValidationMethod(
      message =
          "callbacks.jwtSecret must be set (TRAINYARD_JWT_SECRET) and at least "
              + CallbackContract.MIN_SECRET_BYTES
              + " bytes; only devMode may leave it empty")
  public boolean isCallbackSecretUsable() {
    String secret = callbacks.getJwtSecret();
    if (secret == null || secret.isEmpty()) {
      return devMode;
    }
    return callbacks.secretBytes().length >= CallbackContract.MIN_SECRET_BYTES;
  }

  // Reported as "callbackPortServed".
  @ValidationMethod(message = CallbackPortRule.MESSAGE)
  public boolean isCallbackPortServed() {
    return CallbackPortRule.holds(getServerFactory(), callbacks.getPort());
  }
}
