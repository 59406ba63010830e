package dev.trainyard.worker.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * The worker YAML's {@code logging} block (its own log lines: {@code text} or {@code json}) and
 * {@code logs} block (trainer logs: how often a running trainer's log is copied to the storage
 * block's bucket).
 */
public final class LogsSettings {
  /** {@code logging}: the worker's log line format, the API's {@code layout.format}. */
  public static final class Logging {
    @JsonProperty
    @NotNull
    @Pattern(regexp = "text|json", message = "must be text or json")
    private String format = "text";

    public String format() {
      return format;
    }

    @Override
    public String toString() {
      return "Logging[format=" + format + "]";
    }
  }

  /** {@code logs.archive}. */
  public static final class Archive {
    /** A running trainer's log reaches the archive this often (and once more when it ends). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration interval = Duration.seconds(30);

    public java.time.Duration interval() {
      return interval.toJavaDuration();
    }
  }

  @JsonProperty @Valid @NotNull private Archive archive = new Archive();

  public Archive archive() {
    return archive;
  }

  @Override
  public String toString() {
    return "Logs[archive.interval=" + archive.interval + "]";
  }
}
