package dev.trainyard.app.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.UntilStopped;
import dev.trainyard.app.cli.ApiClient;
import dev.trainyard.app.cli.Follow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole path in one command: start the stack, train a small job, show it, stop. */
@Command(
    name = "demo",
    description =
        "Start the dev stack, upload a synthetic dataset, train a tiny YOLO model on the CPU"
            + " (or, with --framework scripted, a scripted job), show it to its end, then stop.",
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--epochs",
      defaultValue = "10",
      description = "Epochs (default: ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--framework",
      defaultValue = TrainerFrameworks.ULTRALYTICS,
      description = "ultralytics (real YOLO training) or scripted (default: ${DEFAULT-VALUE})")
  String framework;

  @Option(
      names = "--seconds-per-epoch",
      defaultValue = "1",
      description = "How long each scripted epoch takes (default: ${DEFAULT-VALUE})")
  double secondsPerEpoch;

  @Override
  public Integer call() throws Exception {
    DevSettings settings =
        DevSettings.fromEnvironment(System.getenv(), Path.of("")).withConsoleInfo(false);
    boolean real = TrainerFrameworks.ULTRALYTICS.equals(framework);
    if (real) {
      // Before the stack starts: the first time, this is a download of minutes.
      TrainerVenv.ensure(System.getenv());
    }
    System.out.println("starting the Trainyard dev stack in " + settings.dataDirectory() + " ...");
    try (DevStack stack = DevStack.start(settings)) {
      UntilStopped.closeOnShutdown("dev stack", stack);
      System.out.println(stack.summary(false));
      ApiClient api =
          new ApiClient(
              stack.apiUrl(), new ObjectMapper(), ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
      if (real) {
        Path zip =
            UltralyticsDemo.generateDataset(
                System.getenv(), settings.dataDirectory().resolve("demo"));
        JsonNode uploaded = UltralyticsDemo.upload(api, zip);
        System.out.println(
            "\nuploaded dataset "
                + uploaded.path("dataset_id").asText()
                + " to "
                + uploaded.path("url").asText()
                + " ("
                + uploaded.path("images").asInt()
                + " images)");
      }
      JsonNode created =
          api.submit(
              real ? UltralyticsDemo.job(new ObjectMapper(), epochs) : demoJob(new ObjectMapper()),
              null);
      long jobId = created.path("job_id").asLong();
      System.out.println(
          "\nsubmitted demo job " + jobId + " (trace " + created.path("trace_id").asText() + ")");
      int exitCode = Follow.toTheEnd(api, jobId, false);
      if (real) {
        UltralyticsDemo.summary(api, jobId).forEach(System.out::println);
      }
      System.out.println("stopping the dev stack ...");
      return exitCode;
    }
  }

  private ObjectNode demoJob(ObjectMapper json) {
    ObjectNode job = json.createObjectNode();
    job.put("framework", "scripted");
    job.put("model_name", "demo-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", epochs);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    job.putObject("hyperparameters").put("seconds_per_epoch", secondsPerEpoch);
    return job;
  }
}
