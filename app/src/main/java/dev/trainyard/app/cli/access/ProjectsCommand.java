package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "projects",
    description = "Create and list projects (a project owns its jobs, datasets and keys).",
    mixinStandardHelpOptions = true,
    subcommands = {ProjectsCommand.Create.class, ProjectsCommand.ListProjects.class})
public final class ProjectsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(
      name = "create",
      description = "Create a project (global admin key). Its name is the project_id jobs carry.",
      mixinStandardHelpOptions = true)
  public static final class Create implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "NAME",
        description =
            "Lower-case letters, digits and '-', at most 63, starting with a letter or digit")
    String name;

    @Override
    public Integer call() {
      JsonNode project = apiOptions.client().createProject(name);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "created project "
              + KeyText.text(project.path("name"))
              + "; give it an admin: trainyard keys create --project "
              + KeyText.text(project.path("name"))
              + " --role admin --name NAME");
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "List the projects your key can see.",
      mixinStandardHelpOptions = true)
  public static final class ListProjects implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON answer")
    boolean printJson;

    @Override
    public Integer call() {
      JsonNode reply = apiOptions.client().projects();
      PrintWriter out = spec.commandLine().getOut();
      if (printJson) {
        out.println(reply.toPrettyString());
      } else {
        out.println(String.format("%-24s  %-24s  %s", "PROJECT", "CREATED", "CREATED BY"));
        for (JsonNode project : reply.path("projects")) {
          out.println(
              String.format(
                  "%-24s  %-24s  %s",
                  KeyText.text(project.path("name")),
                  KeyText.text(project.path("created_at")),
                  KeyText.text(project.path("created_by"))));
        }
      }
      out.flush();
      return 0;
    }
  }
}
