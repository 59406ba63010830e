package dev.trainyard.app.cli;

import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.PrivateFiles;
import dev.trainyard.app.dev.DevSettings;
import dev.trainyard.store.access.ApiKeyFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds the API key it sends, first found wins:
 *
 * <ol>
 *   <li>{@value #ENV}, for CI and scripts;
 *   <li>the key {@code trainyard login} stored for this API ({@link CredentialsFile});
 *   <li>for an API on this machine (a loopback address), the dev stack's admin key in {@code <data
 *       dir>/admin-api-key} (the data dir as {@code trainyard dev} chooses it), so the CLI works
 *       against {@code ./trainyard dev} without a login.
 * </ol>
 *
 * Never a command-line argument: it would land in the shell's history and in {@code ps} for every
 * user of the machine. A key found in the wrong shape is refused here, without sending it and
 * without printing it.
 */
public final class ApiKeySource {
  public static final String ENV = "TRAINYARD_API_KEY";

  private ApiKeySource() {}

  /** A key and where it was found (for messages: the key itself is never shown). */
  public record Found(String key, String origin) {
    @Override
    public String toString() {
      return "key from " + origin;
    }
  }

  /** The key for {@code apiUrl}, if any source has one. */
  public static Optional<Found> find(
      String apiUrl, Map<String, String> env, Path workingDirectory) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(checked(fromEnv.strip(), ENV));
    }
    CredentialsFile credentials = CredentialsFile.forUser(env);
    Optional<String> stored = credentials.key(apiUrl);
    if (stored.isPresent()) {
      return Optional.of(checked(stored.get(), credentials.path().toString()));
    }
    if (isLoopback(apiUrl)) {
      Path devKey =
          DevSettings.dataDirectory(env, workingDirectory).resolve(DevSettings.ADMIN_KEY_FILE);
      if (Files.isRegularFile(devKey)) {
        return Optional.of(checked(read(devKey), devKey + " (the dev stack's admin key)"));
      }
    }
    return Optional.empty();
  }

  /** The key for {@code apiUrl}, or a {@link CliException} saying how to get one. */
  public static Found require(String apiUrl, Map<String, String> env, Path workingDirectory) {
    return find(apiUrl, env, workingDirectory)
        .orElseThrow(
            () ->
                new CliException(
                    "no API key for "
                        + apiUrl
                        + ": run `trainyard login`, or set "
                        + ENV
                        + (isLoopback(apiUrl)
                            ? " (or start ./trainyard dev here: the CLI uses its admin key)"
                            : ""),
                    ExitCodes.REQUEST_REJECTED));
  }

  /** Whether {@code key} has the shape of a Trainyard API key ({@link ApiKeyFormat}). */
  public static boolean wellFormed(String key) {
    return ApiKeyFormat.keyId(key).isPresent();
  }

  /** The key's public id ({@code ty_<key id>_…}); {@code key} must be well formed. */
  public static String keyId(String key) {
    return ApiKeyFormat.keyId(key).orElseThrow();
  }

  /** {@code key} as found in {@code origin}, or a {@link CliException} when it is not a key. */
  public static Found checked(String key, String origin) {
    if (!wellFormed(key)) {
      throw new CliException(
          "the API key from "
              + origin
              + " is not a Trainyard API key (ty_, a 12-character key id, _, a 43-character"
              + " secret): copy the whole key, or create one with `trainyard keys create`",
          ExitCodes.REQUEST_REJECTED);
    }
    return new Found(key, origin);
  }

  private static String read(Path file) {
    try {
      if (!PrivateFiles.ownerOnly(file)) {
        throw new CliException(
            file
                + " can be read by other users (mode "
                + PrivateFiles.mode(file)
                + "): the dev stack's admin key in it may have leaked; delete it and restart"
                + " ./trainyard dev, which makes a new one and revokes the old",
            ExitCodes.STARTUP_FAILED);
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException(
          "cannot read " + file + ": " + e.getMessage(), ExitCodes.STARTUP_FAILED);
    }
  }

  /**
   * Whether {@code apiUrl} names this machine: {@code localhost} or a loopback literal. A name is
   * not looked up: what a DNS server says is not proof that the API is the local dev stack.
   */
  static boolean isLoopback(String apiUrl) {
    String host;
    try {
      host = URI.create(apiUrl.strip()).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost")) {
      return true;
    }
    boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
