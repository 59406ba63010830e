package dev.trainyard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys {@code trainyard login} stored, one per API base URL, in {@code
 * ${XDG_CONFIG_HOME:-~/.config}/trainyard/credentials.json}: mode 600 in a folder of mode 700
 * (those the CLI creates), replaced atomically. A file that group or others can read is refused
 * rather than used, as ssh refuses a private key: the key in it may already have leaked, and the
 * user should know.
 *
 * <pre>{"apis": {"http://127.0.0.1:8080": {"api_key": "ty_…", "key_id": "…", "stored_at": "…"}}}
 * </pre>
 */
public final class CredentialsFile {
  static final String FILE_NAME = "credentials.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public CredentialsFile(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  /**
   * The user's file: under {@code $XDG_CONFIG_HOME} when it is set to an absolute path (the XDG
   * rule: a relative one is ignored), else under {@code $HOME/.config}.
   */
  public static CredentialsFile forUser(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path config;
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      config = Path.of(xdg);
    } else {
      String home = env.get("HOME");
      config =
          Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home)
              .resolve(".config");
    }
    return new CredentialsFile(config.resolve("trainyard").resolve(FILE_NAME));
  }

  public Path path() {
    return file;
  }

  /** The key stored for {@code apiUrl}, if any. */
  public Optional<String> key(String apiUrl) {
    return Optional.ofNullable(read().path("apis").path(normalize(apiUrl)).get("api_key"))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText);
  }

  /** Stores {@code key} (whose public id is {@code keyId}) for {@code apiUrl}, replacing one. */
  public void store(String apiUrl, String key, String keyId) throws IOException {
    ObjectNode root = read();
    ObjectNode apis =
        root.get("apis") instanceof ObjectNode existing ? existing : root.putObject("apis");
    apis.putObject(normalize(apiUrl))
        .put("api_key", key)
        .put("key_id", keyId)
        .put("stored_at", Instant.now().toString());
    save(root);
  }

  /** Removes the key stored for {@code apiUrl}; false when there was none. */
  public boolean remove(String apiUrl) throws IOException {
    ObjectNode root = read();
    JsonNode apis = root.path("apis");
    if (!(apis instanceof ObjectNode entries) || entries.remove(normalize(apiUrl)) == null) {
      return false;
    }
    save(root);
    return true;
  }

  private void save(ObjectNode root) throws IOException {
    PrivateFiles.createDirectories(file.getParent());
    PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }

  private ObjectNode read() {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      if (!PrivateFiles.ownerOnly(file)) {
        throw new CliException(
            file
                + " can be read by other users (mode "
                + PrivateFiles.mode(file)
                + "), so its keys may have leaked: revoke them (trainyard keys revoke KEY_ID),"
                + " then chmod 600 "
                + file
                + " or delete it and run `trainyard login` again",
            ExitCodes.STARTUP_FAILED);
      }
      JsonNode root = parse(Files.readString(file, StandardCharsets.UTF_8));
      if (root instanceof ObjectNode object) {
        return object;
      }
      throw new CliException(
          "cannot read "
              + file
              + " (not the JSON `trainyard login` writes): delete it and run"
              + " `trainyard login` again",
          ExitCodes.STARTUP_FAILED);
    } catch (IOException e) {
      throw new CliException(
          "cannot read " + file + ": " + e.getMessage(), ExitCodes.STARTUP_FAILED);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null; // the message would quote the file, key included
    }
  }

  /**
   * One entry per API whatever way its URL is written: scheme and host lower-cased, the default
   * port made explicit, no trailing slash ({@code HTTP://LocalHost/} is {@code
   * http://localhost:80}).
   */
  static String normalize(String apiUrl) {
    URI uri = URI.create(apiUrl.strip());
    if (uri.getScheme() == null || uri.getHost() == null) {
      return apiUrl.strip();
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
  }
}
