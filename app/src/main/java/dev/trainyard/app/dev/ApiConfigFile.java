package dev.trainyard.app.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.store.objects.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API configuration a dev, bench or test stack runs with, written as YAML with the same keys as
 * {@code example-api.yml}, so a user can read it or run {@code trainyard server} with it. Dev mode,
 * embedded PostgreSQL's user, both connectors on 127.0.0.1 (the admin one, with {@code /metrics},
 * on a free port unless set) and no request log; what differs between stacks is set on the builder.
 * It holds the callback secret, so it is written readable by its owner only.
 */
public final class ApiConfigFile {
  private final String jdbcUrl;
  private final String temporalTarget;
  private final String jwtSecret;
  private final int httpPort;
  private String databasePassword = "";
  private Integer databasePoolSize;
  private Duration progressSignalInterval;
  private String logLevel = "INFO";
  private final Map<String, String> loggerLevels = new LinkedHashMap<>();
  private String consoleLogFormat;
  private boolean consoleInfo;
  private Path logFile;
  private String logFileFormat;
  private ObjectNode storage;
  private String temporalUiUrl;
  private Path trainerJobsDirectory;
  private int adminPort;
  private boolean metrics = true;
  private Integer retryDefaultMaxAttempts;

  private ApiConfigFile(String jdbcUrl, String temporalTarget, String jwtSecret, int httpPort) {
    this.jdbcUrl = jdbcUrl;
    this.temporalTarget = temporalTarget;
    this.jwtSecret = jwtSecret;
    this.httpPort = httpPort;
  }

  /** The API on {@code httpPort} (0: any free port), namespace {@code default}. */
  public static ApiConfigFile of(
      String jdbcUrl, String temporalTarget, String jwtSecret, int httpPort) {
    return new ApiConfigFile(jdbcUrl, temporalTarget, jwtSecret, httpPort);
  }

  /** The server's {@code retry.defaultMaxAttempts} (1..20). Default: the API's own, 1. */
  public ApiConfigFile retryDefaultMaxAttempts(int attempts) {
    this.retryDefaultMaxAttempts = attempts;
    return this;
  }

  /** The database user's password (embedded PostgreSQL's, from the data dir). Default: none. */
  public ApiConfigFile databasePassword(String password) {
    this.databasePassword = password;
    return this;
  }

  /** Up to {@code maxSize} database connections, 8 (or fewer) kept open. Default: Dropwizard's. */
  public ApiConfigFile databasePool(int maxSize) {
    this.databasePoolSize = maxSize;
    return this;
  }

  /** How often a running job's heartbeats refresh its workflow's progress. Default: the API's. */
  public ApiConfigFile progressSignalInterval(Duration interval) {
    this.progressSignalInterval = interval;
    return this;
  }

  /** The root log level (default INFO) and levels of single loggers. */
  public ApiConfigFile logLevels(String root, Map<String, String> loggers) {
    this.logLevel = root;
    this.loggerLevels.putAll(loggers);
    return this;
  }

  /**
   * Log to stderr too: with {@code info}, INFO lines through the quiet-console filter (the dev
   * server's running commentary); without, warnings and errors only.
   */
  public ApiConfigFile console(String logFormat, boolean info) {
    this.consoleLogFormat = logFormat;
    this.consoleInfo = info;
    return this;
  }

  /** Log to {@code file}, never archived. */
  public ApiConfigFile file(Path file, String logFormat) {
    this.logFile = file;
    this.logFileFormat = logFormat;
    return this;
  }

  /** Datasets, checkpoints and archived trainer logs on an S3-protocol server. */
  public ApiConfigFile storage(S3Settings settings) {
    storage = new ObjectMapper().createObjectNode();
    storage.put("endpoint", settings.getEndpoint());
    storage.put("bucket", settings.getBucket());
    storage.put("accessKey", settings.getAccessKey());
    storage.put("secretKey", settings.getSecretKey());
    return this;
  }

  /** Where local trainers write their logs, so {@code GET /v1/jobs/{id}/logs} can serve them. */
  public ApiConfigFile trainerLogs(Path jobsDirectory) {
    this.trainerJobsDirectory = jobsDirectory;
    return this;
  }

  /** The admin connector's port (health checks, {@code /metrics}). Default: any free port. */
  public ApiConfigFile adminPort(int port) {
    this.adminPort = port;
    return this;
  }

  /**
   * {@code prometheus.enabled}: off, the API's meters do nothing and {@code /metrics} answers 404
   * (the fleet bench's {@code --no-metrics}, to measure their cost). Default: on.
   */
  public ApiConfigFile metrics(boolean enabled) {
    this.metrics = enabled;
    return this;
  }

  /** The dashboard's link to Temporal's web UI, where one runs (null: none). */
  public ApiConfigFile dashboard(String temporalUiUrl) {
    this.temporalUiUrl = temporalUiUrl;
    return this;
  }

  /** Writes the file (replacing one that is there), mode 600; returns {@code file}. */
  public Path write(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = yaml.createObjectNode();
    root.put("devMode", true);

    ObjectNode database = root.putObject("database");
    database.put("driverClass", "org.postgresql.Driver");
    database.put("url", jdbcUrl);
    database.put("user", "postgres");
    database.put("password", databasePassword);
    if (databasePoolSize != null) {
      database.put("maxSize", databasePoolSize);
      database.put("minSize", Math.min(8, databasePoolSize));
      database.put("initialSize", Math.min(8, databasePoolSize));
    }

    ObjectNode temporal = root.putObject("temporal");
    temporal.put("target", temporalTarget);
    temporal.put("namespace", "default");

    ObjectNode callbacks = root.putObject("callbacks");
    callbacks.put("jwtSecret", jwtSecret);
    if (progressSignalInterval != null) {
      callbacks.put("progressSignalInterval", progressSignalInterval.toMillis() + "ms");
    }

    ObjectNode server = root.putObject("server");
    // Stopping waits this long for open requests (log follows); 30 s is long for a laptop.
    server.put("shutdownGracePeriod", "2s");
    connector(server.putArray("applicationConnectors"), httpPort);
    connector(server.putArray("adminConnectors"), adminPort);
    // No request log: building one makes logback-access print version warnings to the console
    // (the Dropwizard BOM's logback-access modules differ), and the API's log has its lines.
    server.putObject("requestLog").putArray("appenders");

    ObjectNode logging = root.putObject("logging");
    logging.put("level", logLevel);
    if (!loggerLevels.isEmpty()) {
      ObjectNode loggers = logging.putObject("loggers");
      loggerLevels.forEach(loggers::put);
    }
    ArrayNode appenders = logging.putArray("appenders");
    if (consoleLogFormat != null) {
      ObjectNode console = appenders.addObject();
      console.put("type", "console");
      console.put("target", "stderr");
      console.put("logFormat", consoleLogFormat);
      if (consoleInfo) {
        console.putArray("filterFactories").addObject().put("type", "trainyard-quiet-console");
      } else {
        console.put("threshold", "WARN");
      }
    }
    if (logFile != null) {
      ObjectNode appender = appenders.addObject();
      appender.put("type", "file");
      appender.put("currentLogFilename", logFile.toString());
      appender.put("archive", false);
      appender.put("logFormat", logFileFormat);
    }

    if (storage != null) {
      root.set("storage", storage);
    }
    if (trainerJobsDirectory != null) {
      root.putObject("logs").put("jobsDirectory", trainerJobsDirectory.toString());
    }
    if (temporalUiUrl != null) {
      root.putObject("dashboard").put("temporalUiUrl", temporalUiUrl);
    }
    if (!metrics) {
      root.putObject("prometheus").put("enabled", false);
    }
    if (retryDefaultMaxAttempts != null) {
      root.putObject("retry").put("defaultMaxAttempts", retryDefaultMaxAttempts);
    }

    Files.createDirectories(file.toAbsolutePath().getParent());
    DevSecret.writePrivate(file, yaml.writeValueAsString(root));
    return file;
  }

  private static void connector(ArrayNode connectors, int port) {
    ObjectNode connector = connectors.addObject();
    connector.put("type", "http");
    connector.put("bindHost", "127.0.0.1");
    connector.put("port", port);
  }
}
