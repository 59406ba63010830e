package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --api} option every client command shares, and the key that goes with it ({@link
 * ApiKeySource}). The environment and working directory are fields so that tests can run the
 * commands with their own (see {@code Main.commandLine(IFactory)}).
 */
public final class ApiOptions {
  static final String DEFAULT_API = "http://127.0.0.1:8080";

  static final String API_ENV = "TRAINYARD_API";

  // No picocli default: it would read the process's environment, not this object's.
  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "Trainyard API base URL (env TRAINYARD_API; default: " + DEFAULT_API + ")")
  String api;

  private final Map<String, String> env;
  private final Path workingDirectory;

  public ApiOptions() {
    this(System.getenv(), Path.of(""));
  }

  public ApiOptions(Map<String, String> env, Path workingDirectory) {
    this.env = Map.copyOf(env);
    this.workingDirectory = workingDirectory;
  }

  public String apiUrl() {
    if (api != null) {
      return api;
    }
    String fromEnv = env.get(API_ENV);
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_API : fromEnv.strip();
  }

  /**
   * A client that sends the key {@link ApiKeySource} finds for this API; a {@link CliException}
   * (one line: how to get a key) when there is none.
   */
  public ApiClient client() {
    ApiKeySource.Found key = key();
    return keyless().withKey(key.key(), key.origin());
  }

  /** The key for this API and where it was found; a {@link CliException} when there is none. */
  public ApiKeySource.Found key() {
    return ApiKeySource.require(apiUrl(), env, workingDirectory);
  }

  /** A client without a key (login: the key to try is the user's input). */
  public ApiClient keyless() {
    return new ApiClient(apiUrl(), Json.MAPPER);
  }

  public Map<String, String> environment() {
    return env;
  }

  public CredentialsFile credentials() {
    return CredentialsFile.forUser(env);
  }

  /** One shared mapper: the CLI's JSON needs no special configuration. */
  public static final class Json {
    // Trailing tokens make "-H tag=1abc" a string rather than a misread number.
    public static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}
  }
}
