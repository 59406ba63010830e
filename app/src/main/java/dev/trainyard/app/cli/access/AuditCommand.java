package dev.trainyard.app.cli.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.TerminalText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    description =
        "Show who changed what (submits, cancels, dataset uploads, projects and keys), newest"
            + " first (an admin key; a global admin sees every project).",
    mixinStandardHelpOptions = true)
public final class AuditCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;
  @Spec CommandSpec spec;

  @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project")
  String project;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--before",
      paramLabel = "ID",
      description = "Only entries older than this id (the next page)")
  Long before;

  @Option(names = "--json", description = "Print the API's JSON answer")
  boolean printJson;

  @Override
  public Integer call() {
    JsonNode page = apiOptions.client().audit(project, limit, before);
    PrintWriter out = spec.commandLine().getOut();
    if (printJson) {
      out.println(page.toPrettyString());
    } else {
      String format = "%-8s  %-24s  %-12s  %-18s  %-12s  %-16s  %s";
      out.println(
          String.format(format, "ID", "AT", "ACTOR", "ACTION", "PROJECT", "TARGET", "DETAIL"));
      for (JsonNode entry : page.path("entries")) {
        out.println(
            String.format(
                format,
                KeyText.text(entry.path("id")),
                KeyText.text(entry.path("at")),
                KeyText.text(entry.path("actor")),
                KeyText.text(entry.path("action")),
                KeyText.text(entry.path("project")),
                KeyText.text(entry.path("target")),
                entry.hasNonNull("detail")
                    ? TerminalText.escape(entry.get("detail").toString())
                    : ""));
      }
      if (page.hasNonNull("next_before")) {
        out.println("more: trainyard audit --before " + KeyText.text(page.get("next_before")));
      }
    }
    out.flush();
    return 0;
  }
}
