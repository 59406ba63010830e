package dev.trainyard.app.cli.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.CliException;
import dev.trainyard.app.cli.ProjectDefault;
import dev.trainyard.app.cli.TerminalText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "dataset",
    description =
        "Manage a project's datasets in storage. A job finds its dataset_id in its own project"
            + " only.",
    mixinStandardHelpOptions = true,
    subcommands = {
      DatasetCommand.Upload.class,
      DatasetCommand.Show.class,
      DatasetCommand.ListDatasets.class
    })
public final class DatasetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** {@code --project}, shared by the subcommands. */
  static final class ProjectOption {
    @Option(
        names = "--project",
        paramLabel = "PROJECT",
        description = "The dataset's project (default: the project of your key)")
    String project;
  }

  @Command(
      name = "upload",
      description =
          "Upload a YOLO dataset zip (data.yaml, images/, labels/) as dataset DATASET_ID of the"
              + " project (a member key).",
      mixinStandardHelpOptions = true)
  public static final class Upload implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Mixin ProjectOption projectOption;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET_ID", description = "The dataset's id")
    String datasetId;

    @Parameters(index = "1", paramLabel = "ZIP", description = "The zip archive")
    Path zip;

    @Option(names = "--overwrite", description = "Replace a dataset with the same id")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(zip)) {
        throw new CliException(zip + " is not a file", ExitCodes.USAGE);
      }
      ApiClient api = apiOptions.client();
      String project = ProjectDefault.resolve(api, projectOption.project);
      JsonNode reply = api.uploadDataset(project, datasetId, zip, overwrite);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "uploaded dataset %s to project %s: %s (%d bytes, %d images, classes %s)%n",
          TerminalText.escape(reply.path("dataset_id").asText()),
          TerminalText.escape(project),
          TerminalText.escape(reply.path("url").asText()),
          reply.path("size_bytes").asLong(),
          reply.path("images").asInt(),
          TerminalText.escape(reply.path("classes").toString()));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "show",
      description = "Show where a dataset is stored and its size.",
      mixinStandardHelpOptions = true)
  public static final class Show implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Mixin ProjectOption projectOption;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DATASET_ID", description = "The dataset's id")
    String datasetId;

    @Override
    public Integer call() {
      ApiClient api = apiOptions.client();
      JsonNode dataset = api.dataset(ProjectDefault.resolve(api, projectOption.project), datasetId);
      PrintWriter out = spec.commandLine().getOut();
      out.println(row(dataset));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      description = "List a project's datasets.",
      mixinStandardHelpOptions = true)
  public static final class ListDatasets implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;
    @Mixin ProjectOption projectOption;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print the API's JSON answer")
    boolean printJson;

    @Override
    public Integer call() {
      ApiClient api = apiOptions.client();
      JsonNode reply = api.datasets(ProjectDefault.resolve(api, projectOption.project));
      PrintWriter out = spec.commandLine().getOut();
      if (printJson) {
        out.println(reply.toPrettyString());
      } else {
        reply.path("datasets").forEach(dataset -> out.println(row(dataset)));
      }
      out.flush();
      return 0;
    }
  }

  private static String row(JsonNode dataset) {
    return String.format(
        "%-24s %12d bytes  %s",
        TerminalText.escape(dataset.path("dataset_id").asText()),
        dataset.path("size_bytes").asLong(),
        TerminalText.escape(dataset.path("url").asText()));
  }
}
