package dev.trainyard.worker.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.store.objects.S3Settings;
import dev.trainyard.workflows.CallbackContract;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;

/**
 * The worker process's settings (see {@code example-worker.yml}), read once by {@link
 * WorkerConfigurationFactory} the way Dropwizard reads the API's and validated, so the rest of the
 * worker never reads the environment. Unlike the API's, it is no Dropwizard {@code Configuration}:
 * the worker runs no HTTP server, and settings it would not read must be refused, not ignored.
 */
public final class WorkerConfiguration {
  public static final String JWT_SECRET_ENV = "TRAINYARD_JWT_SECRET";

  @JsonProperty @Valid @NotNull private DatabaseSettings database;

  @JsonProperty @Valid @NotNull private TemporalSettings temporal;

  /**
   * HS256 key of the callback tokens; filled from {@link #JWT_SECRET_ENV} when the file has none.
   */
  @JsonProperty
  @NotEmpty(message = "is required (or set " + JWT_SECRET_ENV + ")")
  private String jwtSecret;

  @JsonProperty @Valid @NotNull private LauncherSettings launcher;

  @JsonProperty @Valid @NotNull private LogsSettings.Logging logging = new LogsSettings.Logging();

  @JsonProperty @Valid @NotNull private LogsSettings logs = new LogsSettings();

  /**
   * The bucket trainer logs are archived to ({@code logs/job-<id>/trainer.log.gz}), the API's
   * {@code storage} bucket; without it they stay only where the trainer wrote them.
   */
  @JsonProperty @Valid private S3Settings storage;

  /** Health and metrics (docs/operations.md); absent: off. */
  @JsonProperty @Valid private AdminSettings admin = new AdminSettings();

  public DatabaseSettings database() {
    return database;
  }

  public TemporalSettings temporal() {
    return temporal;
  }

  public LauncherSettings launcher() {
    return launcher;
  }

  public LogsSettings.Logging logging() {
    return logging;
  }

  public LogsSettings logs() {
    return logs;
  }

  /** Null when the file has no {@code storage} block. */
  public S3Settings storage() {
    return storage;
  }

  public AdminSettings admin() {
    return admin == null ? new AdminSettings() : admin; // "admin:" with nothing under it
  }

  public byte[] jwtSecretBytes() {
    return jwtSecret.getBytes(StandardCharsets.UTF_8);
  }

  @ValidationMethod(
      message = "jwtSecret must be at least " + CallbackContract.MIN_SECRET_BYTES + " bytes")
  boolean isJwtSecretLongEnough() {
    return jwtSecret == null || jwtSecretBytes().length >= CallbackContract.MIN_SECRET_BYTES;
  }

  // The secret must never reach a log line.
  @Override
  public String toString() {
    return "WorkerConfiguration[database="
        + database
        + ", temporal="
        + temporal
        + ", jwtSecret=<redacted>, launcher="
        + launcher
        + ", logging="
        + logging
        + ", logs="
        + logs
        + ", storage="
        + storage
        + ", admin="
        + admin
        + "]";
  }
}
