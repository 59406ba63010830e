package dev.trainyard.app.cli.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.ApiOptions;
import dev.trainyard.app.cli.TerminalText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "artifacts",
    description = "List a job's artifacts (checkpoints) in storage, or download them.",
    mixinStandardHelpOptions = true)
public final class ArtifactsCommand implements Callable<Integer> {
  @Mixin ApiOptions apiOptions;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id")
  long jobId;

  @Option(
      names = "--download",
      paramLabel = "DIR",
      description = "Download every artifact into DIR")
  Path downloadTo;

  @Override
  public Integer call() throws Exception {
    ApiClient storage = apiOptions.client();
    JsonNode artifacts = storage.artifacts(jobId).path("artifacts");
    if (artifacts.isEmpty()) {
      System.out.println("job " + jobId + " has no artifacts in storage");
      return 0;
    }
    for (JsonNode artifact : artifacts) {
      String name = artifact.path("name").asText();
      if (downloadTo == null) {
        System.out.printf(
            "%-12s %10d bytes  %s%n",
            TerminalText.escape(name), // a trainer chose the object's name
            artifact.path("size_bytes").asLong(),
            TerminalText.escape(artifact.path("url").asText()));
      } else {
        System.out.println(
            "downloaded "
                + TerminalText.escape(
                    storage.downloadArtifact(jobId, name, downloadTo).toString()));
      }
    }
    return 0;
  }
}
