package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a followed job prints, from a scripted stand-in of the job's event stream. */
class JobFollowerTest {
  private static final JobStream.Timing FAST =
      new JobStream.Timing(
          Duration.ofMillis(20),
          Duration.ofMillis(100),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10));

  private static final String FAILED =
      "{\"job_id\":7,\"status\":\"failed\",\"epochs\":3,\"current_epoch\":2,\"progress\":66.7,"
          + "\"failure_reason\":\"heartbeat_timeout\",\"error_message\":\"no heartbeat for 3 s\"}";

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private FakeJobStreams api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void showsEachTransitionOnceProgressAndTheFinalFailureAcrossADrop() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              if (connection == 0) {
                out.write("retry: 2000\n\n");
                out.message("1", "job", job("pending", 0, 0));
                out.message("2", "event", event(1, "pending", "queued"));
                out.message("3", "job", job("queued", 0, 0));
                out.message("4", "event", event(2, "queued", "running"));
                out.message("5", "job", job("running", 1, 33.3));
                out.write(": keepalive\n\n");
                out.message(
                    "6",
                    "event",
                    "{\"id\":3,\"source\":\"trainer\",\"level\":\"warning\","
                        + "\"event_type\":\"slow\",\"message\":\"disk is slow\"}");
                out.message("7", "metric", "{\"id\":1,\"epoch\":1,\"metrics\":{\"loss\":0.75}}");
                out.message("8", "job", job("running", 2, 66.7));
              } else {
                // a resumed stream starts with a fresh snapshot, then what came after id 8
                out.message("9", "job", job("running", 2, 66.7));
                out.message("10", "event", event(4, "running", "failed"));
                out.message("11", "job", FAILED);
                out.message("12", "end", "{\"status\":\"failed\"}");
              }
            });

    JsonNode end = follow(false);

    String text = printed();
    assertThat(end.path("status").asText()).isEqualTo("failed");
    assertThat(text.lines().filter(l -> l.startsWith("job 7:")).toList())
        .containsExactly(
            "job 7: pending",
            "job 7: pending -> queued",
            "job 7: queued -> running",
            "job 7: running -> failed");
    assertThat(text).contains("disk is slow").contains("epoch 2/3").contains("loss 0.7500");
    assertThat(JobText.outcome(end))
        .isEqualTo("job 7 failed (heartbeat_timeout): no heartbeat for 3 s");
    assertThat(api.lastEventIds).containsExactly("null", "8");
    assertThat(notices).containsExactly("stream lost (the server closed it), reconnecting…");
  }

  @Test
  void anEndedJobShowsItsStateAndItsHistoryOnlyWhenAllEventsAreAsked() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              out.message("1", "job", FAILED);
              out.message("2", "event", event(1, "pending", "queued"));
              out.message("3", "event", event(2, "queued", "failed"));
              out.message("4", "end", "{\"status\":\"failed\"}");
            });

    follow(false);
    assertThat(printed().lines().toList())
        .containsExactly(
            "job 7: failed", ProgressLine.render(ApiOptions.Json.MAPPER.readTree(FAILED), null));

    buffer.reset();
    follow(true);
    List<String> all = printed().lines().toList();
    assertThat(all.get(0)).isEqualTo("job 7: failed");
    assertThat(all).hasSize(4);
    assertThat(all.subList(1, 4)).filteredOn(line -> line.contains("status_changed")).hasSize(2);
    assertThat(all).noneMatch(line -> line.contains("->"));
  }

  @Test
  void anEndWhoseLastSnapshotIsNotTerminalReadsTheJobOnce() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              out.message("1", "job", job("running", 1, 33.3));
              out.message("2", "end", "{\"status\":\"failed\"}");
            });
    api.job = FAILED;

    JsonNode end = follow(false);

    assertThat(end.path("failure_reason").asText()).isEqualTo("heartbeat_timeout");
    assertThat(printed().lines().filter(l -> l.startsWith("job 7:")).toList())
        .containsExactly("job 7: running", "job 7: failed");
  }

  @Test
  void anApiErrorCarriesTheProblemDetail() throws Exception {
    api = new FakeJobStreams((connection, lastId, out) -> {});
    assertThatThrownBy(() -> api.client().job(99))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.detail()).isEqualTo("job 7 says 404");
              assertThat(e.hint()).contains("trainyard list");
            });
  }

  @Test
  void aStoppedApiSaysHowToStartIt() throws Exception {
    api = new FakeJobStreams((connection, lastId, out) -> {});
    int port = api.port();
    api.close();

    assertThatThrownBy(
            () -> new ApiClient("http://127.0.0.1:" + port, ApiOptions.Json.MAPPER).job(1))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageContaining("is the API running? start it with ./trainyard dev");
  }

  private JsonNode follow(boolean showAllEvents) throws InterruptedException {
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    ApiClient client = api.client();
    return new JobFollower(client, new ProgressLine(out, false), showAllEvents, notices::add)
        .follow(new JobStream(client, 7, notices::add, FAST));
  }

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static String job(String status, int epoch, double progress) {
    return "{\"job_id\":7,\"status\":\""
        + status
        + "\",\"epochs\":3,\"current_epoch\":"
        + epoch
        + ",\"progress\":"
        + progress
        + "}";
  }

  private static String event(int id, String from, String to) {
    return "{\"id\":"
        + id
        + ",\"source\":\"trainyard\",\"level\":\"info\",\"event_type\":"
        + "\"status_changed\",\"message\":\"\",\"data\":{\"from\":\""
        + from
        + "\",\"to\":\""
        + to
        + "\"}}";
  }
}
