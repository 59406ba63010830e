package dev.trainyard.bench.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The API configuration a bench or test stack runs with: the same keys as {@code example-api.yml}.
 * It holds the callback secret, so it is written readable by its owner only.
 */
public record ApiConfigFile(
    String jdbcUrl,
    String temporalTarget,
    String jwtSecret,
    int port,
    int databasePoolSize,
    Duration progressSignalInterval,
    Path logFile) {

  public Path write(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = yaml.createObjectNode();
    root.put("devMode", true);
    ObjectNode database = root.putObject("database");
    database.put("driverClass", "org.postgresql.Driver");
    database.put("url", jdbcUrl);
    database.put("user", "postgres");
    database.put("password", "");
    database.put("maxSize", databasePoolSize);
    database.put("minSize", Math.min(8, databasePoolSize));
    database.put("initialSize", Math.min(8, databasePoolSize));
    ObjectNode temporal = root.putObject("temporal");
    temporal.put("target", temporalTarget);
    temporal.put("namespace", "default");
    ObjectNode callbacks = root.putObject("callbacks");
    callbacks.put("jwtSecret", jwtSecret);
    callbacks.put("progressSignalInterval", progressSignalInterval.toMillis() + "ms");
    ObjectNode server = root.putObject("server");
    ObjectNode app = server.putArray("applicationConnectors").addObject();
    app.put("type", "http");
    app.put("bindHost", "127.0.0.1");
    app.put("port", port);
    ObjectNode admin = server.putArray("adminConnectors").addObject();
    admin.put("type", "http");
    admin.put("bindHost", "127.0.0.1");
    admin.put("port", 0);
    server.putObject("requestLog").putArray("appenders");
    ObjectNode logging = root.putObject("logging");
    logging.put("level", "WARN");
    ObjectNode appender = logging.putArray("appenders").addObject();
    appender.put("type", "file");
    appender.put("currentLogFilename", logFile.toString());
    appender.put("archive", false);
    appender.put("logFormat", "%-5p [%d{ISO8601,UTC}] [trace_id=%X{trace_id}] %c: %m%n%rEx");
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml.writeValueAsString(root));
    return file;
  }
}
