package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.CliException;
import dev.trainyard.app.cli.ProjectDefault;
import dev.trainyard.store.access.ApiKeyFormat;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "keys",
    description = "Create, list and revoke a project's API keys (an admin key of the project).",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The roles a project key can have, in the API's words. */
  enum Role {
    viewer,
    member,
    admin
  }

  @Command(
      name = "create",
      description = {
        "Create an API key in a project and print it once: it is stored as a hash, and nobody"
            + " (not even an admin) can see it again.",
        "The key alone goes to standard output (KEY=$(trainyard keys create ...) keeps it),"
            + " what it is to standard error."
      },
      mixinStandardHelpOptions = true,
      sortOptions = false)
  public static final class Create implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Spec CommandSpec spec;

    @Option(
        names = "--project",
        paramLabel = "PROJECT",
        description = "The key's project (default: the project of your own key)")
    String project;

    @Option(
        names = "--role",
        required = true,
        description =
            "${COMPLETION-CANDIDATES}: viewer reads; member also submits, cancels and uploads"
                + " datasets; admin also manages the project's keys")
    Role role;

    @Option(
        names = "--name",
        required = true,
        description = "Who or what holds the key (e.g. ci, alice), shown in lists and the audit")
    String name;

    @Option(
        names = "--expires-in",
        paramLabel = "DURATION",
        converter = ExpiryConverter.class,
        description = "Refuse the key after this long: 90m, 12h, 30d, 2w (default: no expiry)")
    Long expiresInSeconds;

    @Option(names = "--json", description = "Print the API's JSON answer (with the key)")
    boolean printJson;

    @Override
    public Integer call() {
      ApiClient api = apiOptions.client();
      String inProject = ProjectDefault.resolve(api, project);
      JsonNode created = api.createKey(inProject, name, role.name(), expiresInSeconds);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      err.println("created " + KeyText.identity(created));
      err.flush();
      out.println(printJson ? created.toPrettyString() : created.path("key").asText());
      out.flush();
      err.println(
          "this key is shown only once: store it now (trainyard login reads it from standard"
              + " input); it cannot be shown again, only revoked: trainyard keys revoke "
              + KeyText.text(created.path("key_id")));
      err.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "List a project's keys (never the keys themselves).",
      mixinStandardHelpOptions = true)
  public static final class ListKeys implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Spec CommandSpec spec;

    @Option(
        names = "--project",
        paramLabel = "PROJECT",
        description = "The project (default: the project of your own key)")
    String project;

    @Option(names = "--json", description = "Print the API's JSON answer")
    boolean printJson;

    @Override
    public Integer call() {
      ApiClient api = apiOptions.client();
      JsonNode reply = api.keys(ProjectDefault.resolve(api, project));
      PrintWriter out = spec.commandLine().getOut();
      if (printJson) {
        out.println(reply.toPrettyString());
      } else {
        out.println(KeyText.header());
        reply.path("keys").forEach(key -> out.println(KeyText.row(key)));
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke a key by its id: every API replica refuses it within 5 seconds.",
      mixinStandardHelpOptions = true)
  public static final class Revoke implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "KEY_ID",
        description = "The key's 12-character id (trainyard keys list; ty_<KEY_ID>_... in the key)")
    String keyId;

    @Override
    public Integer call() {
      if (keyId.startsWith("ty_")) {
        // Said before anything is sent: a whole key in a URL would land in access logs.
        throw new CliException(
            "that is a whole API key, not its id, and a key on the command line stays in the"
                + " shell's history: revoke it by its id (the 12 characters after ty_), and"
                + " treat the key as leaked",
            ExitCodes.USAGE);
      }
      if (!ApiKeyFormat.KEY_ID.matcher(keyId).matches()) {
        throw new CliException(
            "a key id is 12 characters of a-z and 2-7; trainyard keys list shows them",
            ExitCodes.USAGE);
      }
      JsonNode revoked = apiOptions.client().revokeKey(keyId);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "revoked key "
              + KeyText.text(revoked.path("key_id"))
              + " ("
              + KeyText.text(revoked.path("name"))
              + ") at "
              + KeyText.text(revoked.path("revoked_at")));
      out.flush();
      return 0;
    }
  }
}
