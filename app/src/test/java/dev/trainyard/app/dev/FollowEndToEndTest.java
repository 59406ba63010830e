package dev.trainyard.app.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.app.CliRunner;
import dev.trainyard.app.ExitCodes;
import dev.trainyard.app.cli.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit --follow}, {@code status --follow} and {@code events --follow} against the real dev
 * stack, over its live job stream ({@code GET /v1/jobs/{id}/stream}): the lines a user sees, the
 * exit code of the job's outcome, and nothing printed twice.
 */
class FollowEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dataDirectory;
  @TempDir static Path home;
  static DevStack stack;
  static CliRunner shell;
  static ApiClient api;

  @BeforeAll
  static void startStack() throws Exception {
    stack = DevStack.start(DevSettings.forTests(dataDirectory));
    shell =
        new CliRunner(
            Map.of(
                "HOME",
                home.toString(),
                DevSettings.DATA_DIR_ENV,
                dataDirectory.toString(),
                "TRAINYARD_API",
                stack.apiUrl()),
            dataDirectory);
    api = new ApiClient(stack.apiUrl(), JSON, ApiClient.DEFAULT_TIMEOUT, stack.adminKey());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void submitFollowShowsEachTransitionAndProgressAndExitsWithTheOutcome() {
    Printed run =
        cli(
            "submit",
            "--framework",
            "scripted",
            "--model",
            "demo-net",
            "--dataset",
            DevStack.DEMO_DATASET,
            "--project",
            DevStack.DEMO_PROJECT,
            "--epochs",
            "3",
            "-H",
            "seconds_per_epoch=0.3",
            "--follow");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SUCCEEDED);
    List<String> lines = run.out().lines().toList();
    long jobId = Long.parseLong(lines.get(0).replaceAll("submitted job (\\d+) .*", "$1"));
    List<String> states = lines.stream().filter(l -> l.startsWith("job " + jobId + ": ")).toList();
    assertThat(states.get(0)).matches("job \\d+: (pending|queued|running)");
    assertThat(states).endsWith("job " + jobId + ": running -> succeeded");
    assertThat(states).doesNotHaveDuplicates();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("epoch 3/3", "100.0%", "loss "));
    assertThat(lines.get(lines.size() - 1)).startsWith("job " + jobId + " succeeded final metrics");
    assertThat(run.err()).doesNotContain("stream lost");
  }

  @Test
  void aFailedJobsFollowExitsOneWithItsReason() {
    Printed run =
        cli(
            "submit",
            "--framework",
            "scripted",
            "--model",
            "demo-net",
            "--dataset",
            "no-such-dataset",
            "--project",
            DevStack.DEMO_PROJECT,
            "--epochs",
            "2",
            "--follow");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.JOB_FAILED);
    assertThat(run.out())
        .contains("-> failed (trainer_reported_failure)")
        .contains("failed (trainer_reported_failure): dataset 'demo/no-such-dataset' not found");
  }

  @Test
  void statusFollowWatchesARunningJobToItsCancel() throws Exception {
    long jobId = submit(60, 0.5);
    CompletableFuture<Printed> following =
        CompletableFuture.supplyAsync(() -> cli("status", String.valueOf(jobId), "--follow"));
    await().atMost(JOB_TIMEOUT).until(() -> api.job(jobId).path("current_epoch").asInt() >= 1);

    api.cancel(jobId);
    Printed run = following.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.JOB_CANCELLED);
    assertThat(run.out())
        .contains("job " + jobId + ": running -> cancelled (cancelled_by_user)")
        .contains("job " + jobId + " cancelled (cancelled_by_user)");
    assertThat(run.out()).contains("training_cancelled");
  }

  @Test
  void eventsFollowOfAnEndedJobPrintsItsWholeHistoryOnceAndReturns() {
    long jobId = submit(3, 0.1);
    await()
        .atMost(JOB_TIMEOUT)
        .until(() -> api.job(jobId).path("status").asText().equals("succeeded"));

    Printed run = cli("events", String.valueOf(jobId), "--follow");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SUCCEEDED);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("job " + jobId + ": succeeded");
    assertThat(lines.stream().filter(l -> l.contains("status_changed"))).hasSize(3);
    assertThat(lines.stream().filter(l -> l.contains("epoch_completed"))).hasSize(3);
    assertThat(lines).doesNotHaveDuplicates();
  }

  @Test
  void aCutConnectionResumesFromTheLastEventWithoutGapsOrRepeats() throws Exception {
    long jobId = submit(6, 0.6);
    try (CuttingProxy proxy = new CuttingProxy(URI.create(stack.apiUrl()).getPort())) {
      CliRunner throughProxy = shell.with("TRAINYARD_API", proxy.url());
      CompletableFuture<Printed> following =
          CompletableFuture.supplyAsync(
              () -> cli(throughProxy, "events", String.valueOf(jobId), "--follow"));
      await().atMost(JOB_TIMEOUT).until(() -> api.job(jobId).path("current_epoch").asInt() >= 2);

      proxy.cut();
      Printed run = following.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SUCCEEDED);
      assertThat(run.err()).contains("stream lost (", "), reconnecting…");
      List<String> lines = run.out().lines().toList();
      // every event once: nothing lost at the cut, nothing sent twice after it
      assertThat(lines.stream().filter(l -> l.contains("epoch_completed")))
          .as(run.toString())
          .hasSize(6);
      assertThat(lines.stream().filter(l -> l.contains("status_changed") || l.contains(" -> ")))
          .as(run.toString())
          .hasSize(3);
      assertThat(lines).doesNotHaveDuplicates();
      assertThat(lines.stream().filter(l -> l.startsWith("job " + jobId + ": ")))
          .as(run.toString())
          .endsWith("job " + jobId + ": running -> succeeded");
    }
  }

  @Test
  void aFollowRidesOutAnApiRestart() throws Exception {
    long jobId = submit(8, 0.6);
    CompletableFuture<Printed> following =
        CompletableFuture.supplyAsync(() -> cli("events", String.valueOf(jobId), "--follow"));
    await().atMost(JOB_TIMEOUT).until(() -> api.job(jobId).path("current_epoch").asInt() >= 2);

    stack.restartApi();
    Printed run = following.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SUCCEEDED);
    assertThat(run.err()).contains("stream lost (", "), reconnecting…");
    List<String> lines = run.out().lines().toList();
    assertThat(lines.stream().filter(l -> l.contains("epoch_completed")))
        .as(run.toString())
        .hasSize(8);
    assertThat(lines).doesNotHaveDuplicates();
  }

  private static long submit(int epochs, double secondsPerEpoch) {
    ObjectNode job = JSON.createObjectNode();
    job.put("framework", "scripted");
    job.put("model_name", "demo-net");
    job.put("dataset_id", DevStack.DEMO_DATASET);
    job.put("project_id", DevStack.DEMO_PROJECT);
    job.put("epochs", epochs);
    job.put("batch_size", 16);
    job.put("learning_rate", 0.01);
    job.putObject("hyperparameters").put("seconds_per_epoch", secondsPerEpoch);
    return api.submit(job, null).path("job_id").asLong();
  }

  /** What a command printed on stdout and stderr (follow prints there, not on picocli's). */
  record Printed(int exitCode, String out, String err) {}

  private static Printed cli(String... args) {
    return cli(shell, args);
  }

  private static synchronized Printed cli(CliRunner runner, String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CliRunner.Result result = runner.run(args);
      return new Printed(
          result.exitCode(),
          out.toString(StandardCharsets.UTF_8) + result.out(),
          err.toString(StandardCharsets.UTF_8) + result.err());
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
