package dev.trainyard.app.cli.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "dataset",
    description = "Manage datasets in storage.",
    mixinStandardHelpOptions = true,
    subcommands = DatasetCommand.Upload.class)
public final class DatasetCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("usage: trainyard dataset upload DATASET_ID ZIP");
  }

  @Command(
      name = "upload",
      description = "Upload a YOLO dataset zip (data.yaml, images/, labels/) as datasets/<id>.zip.",
      mixinStandardHelpOptions = true)
  public static final class Upload implements Callable<Integer> {
    @Mixin ApiOptions apiOptions;

    @Parameters(index = "0", paramLabel = "DATASET_ID", description = "The dataset's id")
    String datasetId;

    @Parameters(index = "1", paramLabel = "ZIP", description = "The zip archive")
    Path zip;

    @Option(names = "--overwrite", description = "Replace a dataset with the same id")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(zip)) {
        System.err.println("trainyard: " + zip + " is not a file");
        return 64;
      }
      JsonNode reply =
          new StorageClient(apiOptions.client().baseUrl()).uploadDataset(datasetId, zip, overwrite);
      System.out.printf(
          "uploaded dataset %s: %s (%d bytes, %d images, classes %s)%n",
          reply.path("dataset_id").asText(),
          reply.path("url").asText(),
          reply.path("size_bytes").asLong(),
          reply.path("images").asInt(),
          reply.path("classes"));
      return 0;
    }
  }
}
