package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.trainyard.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 12, item 9: what a trainer wrote reaches the user's terminal with its control characters
 * shown, not obeyed. Each test runs one real command against a stand-in API serving hostile text.
 */
class TerminalInjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ESC = "\u001b";

  /** The reproduction: CR/LF and ANSI colour in a message forged a red "ERROR" line of its own. */
  private static final String FORGED =
      "epoch 1 done\r\n2026-12-01T10:00:00Z trainer   error   training_failed      "
          + ESC
          + "[31mERROR: disk failure, run rm -rf ~/.cache"
          + ESC
          + "[0m";

  private static final Map<String, Object> EVENT =
      Map.of(
          "id",
          1,
          "created_at",
          "2026-12-01T10:00:00Z",
          "source",
          "trainer",
          "level",
          "info",
          "event_type",
          "epoch\rcompleted",
          "message",
          FORGED,
          "data",
          Map.of("key\u009b2J", "\u202eexe.txt"));

  private static final Map<String, Object> JOB =
      Map.of(
          "job_id",
          7,
          "status",
          "failed",
          "framework",
          "ultralytics",
          "model_name",
          "yolo" + ESC + "]0;pwned" + "\u0007",
          "dataset_id",
          "shapes",
          "epochs",
          3,
          "failure_reason",
          "trainer_reported_failure",
          "error_message",
          FORGED,
          "final_metrics",
          Map.of("mAP\n50", 0.5));

  /** Everything explain prints that a trainer (or its error) could have written. */
  private static final Map<String, Object> EXPLANATION =
      Map.of(
          "job_id",
          7,
          "summary",
          "failed (trainer_reported_failure) after 3 s",
          "reason",
          "The trainer reported that training failed. The message was: “" + FORGED + "”.",
          "timeline",
          List.of(Map.of("status", "failed", "at", "2026-12-01T10:00:00Z", "current", true)),
          "waiting_for",
          Map.of(
              "kind", "stop", "text", "the worker to stop the trainer; the last failed: " + FORGED),
          "temporal",
          Map.of(
              "reachable",
              true,
              "workflow_status",
              "running",
              "pending_activities",
              List.of(
                  Map.of(
                      "activity_type",
                      "Stop",
                      "state",
                      "started",
                      "attempt",
                      2,
                      "last_failure",
                      FORGED))),
          "last_events",
          List.of(EVENT),
          "log",
          Map.of("lines", List.of(ESC + "]52;c;cm0gLXJmIH4=\u0007copied\tx")),
          "links",
          Map.of());

  private HttpServer server;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private PrintStream originalOut;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String type = "application/json";
          String body;
          if (path.equals("/v1/jobs/7")) {
            body = JSON.writeValueAsString(JOB);
          } else if (path.equals("/v1/jobs/7/stream")) {
            type = "text/event-stream";
            body =
                "id: 1\nevent: job\ndata: "
                    + JSON.writeValueAsString(JOB)
                    + "\n\nid: 2\nevent: event\ndata: "
                    + JSON.writeValueAsString(EVENT)
                    + "\n\nid: 3\nevent: end\ndata: {\"status\":\"failed\"}\n\n";
          } else if (path.equals("/v1/jobs/7/events")) {
            boolean after = String.valueOf(exchange.getRequestURI().getQuery()).contains("after=");
            body = JSON.writeValueAsString(Map.of("events", after ? List.of() : List.of(EVENT)));
          } else if (path.equals("/v1/jobs/7/explain")) {
            body = JSON.writeValueAsString(EXPLANATION);
          } else if (path.equals("/v1/jobs/7/metrics")) {
            body = "{\"metrics\":[]}";
          } else if (path.equals("/v1/jobs/7/logs")) {
            type = "text/plain";
            body = "epoch 1\tloss 0.5\n" + ESC + "]52;c;cm0gLXJmIH4=" + "\u0007copied\n";
          } else if (path.equals("/v1/jobs")) {
            body = JSON.writeValueAsString(Map.of("jobs", List.of(JOB)));
          } else {
            body = "{}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", type);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    originalOut = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setOut(originalOut);
    server.stop(0);
  }

  private List<String> run(String... args) {
    String api = "http://127.0.0.1:" + server.getAddress().getPort();
    // A stand-in key: the stand-in API takes any, but the CLI sends nothing without one.
    var commandLine =
        Main.commandLine(
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> type) throws Exception {
                return type == ApiOptions.class
                    ? type.cast(
                        new ApiOptions(
                            Map.of(ApiKeySource.ENV, "ty_abcdefghijk2_" + "k".repeat(43)),
                            Path.of("")))
                    : CommandLine.defaultFactory().create(type);
              }
            });
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err, true));
    String[] withApi = new String[args.length + 2];
    System.arraycopy(args, 0, withApi, 0, args.length);
    withApi[args.length] = "--api";
    withApi[args.length + 1] = api;
    commandLine.execute(withApi);
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(err.toString()).as("stderr").isEmpty();
    assertThat(printed.replace(System.lineSeparator(), "\n"))
        .as("nothing a terminal obeys, beyond the CLI's own line breaks")
        .doesNotContain(ESC, "\r", "\u0007", "\u009b", "\u202e");
    return printed.lines().toList();
  }

  @Test
  void eventsPrintsAForgedLineAsOneLineWithItsEscapesVisible() {
    List<String> lines = run("events", "7");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("epoch\\rcompleted")
        .contains("epoch 1 done\\r\\n2026-12-01T10:00:00Z trainer")
        .contains("\\x1b[31mERROR: disk failure")
        .contains("\\x9b2J", "\\u202eexe.txt");
  }

  @Test
  void eventsFollowEscapesTheSameWay() {
    List<String> lines = run("events", "7", "--follow");

    assertThat(lines).anySatisfy(line -> assertThat(line).contains("\\x1b[31mERROR"));
    assertThat(lines).noneMatch(line -> line.startsWith("2026-12-01T10:00:00Z trainer   error"));
  }

  @Test
  void statusEscapesTheErrorMessageAndEveryOtherField() {
    List<String> lines = run("status", "7");

    assertThat(lines).noneMatch(line -> line.startsWith("2026-12-01T10:00:00Z"));
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).contains("error_message", "\\r\\n", "\\x1b[31m"))
        .anySatisfy(line -> assertThat(line).contains("yolo\\x1b]0;pwned\\x07"));
  }

  @Test
  void listEscapesWhatUsersAndTrainersWrote() {
    List<String> lines = run("list");

    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).contains("yolo\\x1b]0;pwned\\x07");
  }

  @Test
  void logsKeepTheLogsLinesAndTabsButEscapeEverythingElse() {
    List<String> lines = run("logs", "7");

    assertThat(lines).containsExactly("epoch 1\tloss 0.5", "\\x1b]52;c;cm0gLXJmIH4=\\x07copied");
  }

  @Test
  void explainEscapesTheReasonTheWaitTheActivitiesTheEventsAndTheLog() {
    List<String> lines = run("explain", "7");

    assertThat(lines).noneMatch(line -> line.startsWith("2026-12-01T10:00:00Z trainer   error"));
    assertThat(lines)
        .anySatisfy(
            line -> assertThat(line).startsWith("  The trainer reported").contains("\\r\\n"))
        .anySatisfy(line -> assertThat(line).startsWith("waiting for ").contains("\\x1b[31m"))
        .anySatisfy(line -> assertThat(line).startsWith("  activity   Stop").contains("\\x1b[31m"))
        .anySatisfy(line -> assertThat(line).contains("epoch\\rcompleted"))
        .anySatisfy(line -> assertThat(line).startsWith("  \\x1b]52;c;"));
  }
}
