package dev.trainyard.app;

import dev.trainyard.app.admin.CreateKeyCommand;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.access.LoginCommand;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code trainyard} commands in this JVM as a user would from a shell with {@code env} as its
 * environment (the CLI's key lookup reads nothing else): what the commands print on picocli's out
 * and err, and the exit code. Commands that print to System.out (submit, list) are checked through
 * the API instead.
 */
public final class CliRunner {
  private final Map<String, String> env;
  private final Path workingDirectory;

  public CliRunner(Map<String, String> env, Path workingDirectory) {
    this.env = Map.copyOf(env);
    this.workingDirectory = workingDirectory;
  }

  /** The same, with {@code name=value} added (or replaced) in the environment. */
  public CliRunner with(String name, String value) {
    Map<String, String> changed = new java.util.HashMap<>(env);
    changed.put(name, value);
    return new CliRunner(changed, workingDirectory);
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs with {@code stdin} as standard input (a login's key). */
  public Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == ApiOptions.class) {
              return type.cast(new ApiOptions(env, workingDirectory));
            }
            if (type == LoginCommand.class) {
              return type.cast(
                  new LoginCommand(
                      new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
            }
            if (type == CreateKeyCommand.class) {
              return type.cast(new CreateKeyCommand(env));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    CommandLine commandLine = Main.commandLine(factory);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  public record Result(int exitCode, String out, String err) {
    /** Everything printed, for "the key appears nowhere" checks. */
    public String all() {
      return out + err;
    }
  }
}
