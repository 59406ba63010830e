package dev.trainyard.app.cli.access;

import dev.trainyard.app.cli.ApiKeySource;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.CredentialsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "logout",
    description =
        "Forget the API key `trainyard login` stored for this API. The key stays valid: revoke"
            + " it with `trainyard keys revoke KEY_ID` if it may have leaked.",
    mixinStandardHelpOptions = true)
public final class LogoutCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    CredentialsFile credentials = apiOptions.credentials();
    String url = apiOptions.apiUrl();
    if (credentials.remove(url)) {
      out.println("removed the key for " + url + " from " + credentials.path());
    } else {
      out.println("no key stored for " + url + " in " + credentials.path());
    }
    if (apiOptions.environment().containsKey(ApiKeySource.ENV)) {
      out.println("note: " + ApiKeySource.ENV + " is still set, and is still sent");
    }
    out.flush();
    return 0;
  }
}
