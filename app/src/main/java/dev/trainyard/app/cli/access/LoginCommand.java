package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiKeyRefusedException;
import dev.trainyard.app.cli.ApiKeySource;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.CliException;
import dev.trainyard.app.cli.CredentialsFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "login",
    description = {
      "Store an API key for this API, after checking it with the API (GET /v1/whoami).",
      "The key is read from the terminal without echo, or from standard input"
          + " (trainyard login < key-file); never from the command line, where it would stay in"
          + " the shell's history. It is kept in ${XDG_CONFIG_HOME:-~/.config}/trainyard/"
          + "credentials.json (mode 600), one key per API URL; TRAINYARD_API_KEY, when set, is"
          + " sent instead."
    },
    mixinStandardHelpOptions = true)
public final class LoginCommand implements Callable<Integer> {
  /** More than any key: a longer line is not a key, and is not read on without end. */
  private static final int MAX_LINE = 4096;

  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  private final InputStream stdin;
  private final boolean terminal;

  public LoginCommand() {
    this(System.in, true);
  }

  /** Reads the key from {@code stdin}, never from a terminal (tests; pipes). */
  public LoginCommand(InputStream stdin) {
    this(stdin, false);
  }

  private LoginCommand(InputStream stdin, boolean terminal) {
    this.stdin = stdin;
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String url = apiOptions.apiUrl();
    String key = readKey(url, err);
    if (key.isEmpty()) {
      throw new CliException(
          "no key given: paste it when asked (it is not shown), or pipe it in: trainyard login <"
              + " key-file",
          ExitCodes.USAGE);
    }
    ApiKeySource.Found entered = ApiKeySource.checked(key, "standard input");
    ApiClient api = apiOptions.keyless().withKey(entered.key(), entered.origin());
    JsonNode me;
    try {
      me = api.whoami();
    } catch (ApiKeyRefusedException refused) {
      throw new CliException(
          "the API at "
              + url
              + " refused this key (unknown, revoked or expired): check that you copied the whole"
              + " key, or ask a project admin for a new one; nothing was stored",
          ExitCodes.REQUEST_REJECTED);
    }
    CredentialsFile credentials = apiOptions.credentials();
    credentials.store(url, key, me.path("key_id").asText(ApiKeySource.keyId(key)));
    out.println("logged in to " + url + " as " + KeyText.identity(me));
    out.println("key stored in " + credentials.path() + " (mode 600)");
    if (apiOptions.environment().containsKey(ApiKeySource.ENV)) {
      err.println(
          "note: "
              + ApiKeySource.ENV
              + " is set, and is sent instead of the stored key until you unset it");
    }
    out.flush();
    err.flush();
    return 0;
  }

  private String readKey(String url, PrintWriter err) throws IOException {
    Console console = terminal ? System.console() : null;
    if (console != null) {
      char[] typed = console.readPassword("API key for %s (not shown as you type): ", url);
      if (typed == null) {
        return "";
      }
      try {
        return new String(typed).strip();
      } finally {
        Arrays.fill(typed, '\0');
      }
    }
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8), MAX_LINE);
    StringBuilder line = new StringBuilder();
    for (int c; (c = reader.read()) != -1 && c != '\n'; ) {
      if (line.length() >= MAX_LINE) {
        throw new CliException(
            "the first line of standard input is longer than any API key: give the key alone",
            ExitCodes.USAGE);
      }
      line.append((char) c);
    }
    return line.toString().strip();
  }
}
