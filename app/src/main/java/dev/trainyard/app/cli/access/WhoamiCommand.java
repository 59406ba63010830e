package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "whoami",
    description =
        "Show the API key the CLI sends: its id, name, project and role, and where it came from.",
    mixinStandardHelpOptions = true)
public final class WhoamiCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode me = apiOptions.client().whoami();
    if (printJson) {
      out.println(me.toPrettyString());
    } else {
      out.println(KeyText.identity(me));
      out.println("API " + apiOptions.apiUrl() + ", key from " + apiOptions.key().origin());
    }
    out.flush();
    return 0;
  }
}
