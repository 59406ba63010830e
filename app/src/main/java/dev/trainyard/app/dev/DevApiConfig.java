package dev.trainyard.app.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trainyard.app.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the API configuration the dev stack runs with (the same YAML keys as {@code
 * example-api.yml}), so a user can read it, or run {@code trainyard server} with it. It holds the
 * dev secret, so it is written readable by its owner only.
 */
final class DevApiConfig {
  static final String FILE_NAME = "api.yml";

  private DevApiConfig() {}

  static Path write(
      DevSettings settings, String jdbcUrl, String temporalTarget, String jwtSecret, int httpPort)
      throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = yaml.createObjectNode();
    root.put("devMode", true);

    ObjectNode database = root.putObject("database");
    database.put("driverClass", "org.postgresql.Driver");
    database.put("url", jdbcUrl);
    database.put("user", "postgres");
    database.put("password", "");

    ObjectNode temporal = root.putObject("temporal");
    temporal.put("target", temporalTarget);
    temporal.put("namespace", "default");

    root.putObject("callbacks").put("jwtSecret", jwtSecret);

    ObjectNode server = root.putObject("server");
    connector(server.putArray("applicationConnectors"), httpPort);
    connector(server.putArray("adminConnectors"), 0);
    // No request log: building one makes logback-access print version warnings to the console
    // (the Dropwizard BOM's logback-access modules differ), and trainyard.log has the API's lines.
    server.putObject("requestLog").putArray("appenders");

    ObjectNode logging = root.putObject("logging");
    logging.put("level", "INFO");
    ObjectNode loggers = logging.putObject("loggers");
    LogFormat.QUIETED.forEach(loggers::put);
    ArrayNode appenders = logging.putArray("appenders");
    ObjectNode console = appenders.addObject();
    console.put("type", "console");
    console.put("target", "stderr");
    console.put("logFormat", LogFormat.PATTERN);
    if (settings.consoleInfo()) {
      console.putArray("filterFactories").addObject().put("type", "trainyard-quiet-console");
    } else {
      console.put("threshold", "WARN");
    }
    file(appenders, settings.logFile(), LogFormat.PATTERN);

    Path file = settings.dataDirectory().resolve(FILE_NAME);
    DevSecret.writePrivate(file, yaml.writeValueAsString(root));
    return file;
  }

  private static void connector(ArrayNode connectors, int port) {
    ObjectNode connector = connectors.addObject();
    connector.put("type", "http");
    connector.put("bindHost", "127.0.0.1");
    connector.put("port", port);
  }

  private static void file(ArrayNode appenders, Path file, String logFormat) {
    ObjectNode appender = appenders.addObject();
    appender.put("type", "file");
    appender.put("currentLogFilename", file.toString());
    appender.put("archive", false);
    appender.put("logFormat", logFormat);
  }
}
