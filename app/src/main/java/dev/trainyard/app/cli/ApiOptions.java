package dev.trainyard.app.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

/** The {@code --api} option every client command shares. */
public final class ApiOptions {
  static final String DEFAULT_API = "http://127.0.0.1:8080";

  @Option(
      names = "--api",
      paramLabel = "URL",
      defaultValue = "${env:TRAINYARD_API:-" + DEFAULT_API + "}",
      description = "Trainyard API base URL (env TRAINYARD_API; default: ${DEFAULT-VALUE})")
  String api;

  public ApiClient client() {
    return new ApiClient(api, Json.MAPPER);
  }

  /** One shared mapper: the CLI's JSON needs no special configuration. */
  static final class Json {
    // Trailing tokens make "-H tag=1abc" a string rather than a misread number.
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}
  }
}
