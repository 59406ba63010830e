package dev.trainyard.app.admin;

import dev.trainyard.app.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Commands an operator runs on the server side, against the API's database rather than its HTTP
 * routes: the first key of a fresh deployment cannot come from an API that wants a key.
 */
@Command(
    name = "admin",
    description = "Server-side administration against the API's database (no API call).",
    mixinStandardHelpOptions = true,
    subcommands = CreateKeyCommand.class)
public final class AdminCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
