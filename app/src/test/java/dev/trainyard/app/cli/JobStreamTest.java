package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Following a job's event stream across dropped, silent and refused connections. */
class JobStreamTest {
  private static final JobStream.Timing FAST =
      new JobStream.Timing(
          Duration.ofMillis(20),
          Duration.ofMillis(100),
          Duration.ofMillis(400),
          Duration.ofSeconds(10));

  private final List<SseEvent> received = new CopyOnWriteArrayList<>();
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private FakeJobStreams api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aDropMidMessageResumesWithLastEventIdAndLosesNothing() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              if (connection == 0) {
                out.write("retry: 2000\n\n");
                out.message("1", "job", "{\"status\":\"running\"}");
                out.write(": keepalive\n\n");
                out.message("2", "event", "{\n  \"message\": \"two lines\"\n}");
                // the connection breaks in the middle of message 3
                out.write("id: 3\nevent: metric\ndata: {\"epo");
              } else {
                out.message("3", "metric", "{\"epoch\":1}");
                out.message("4", "end", "{\"status\":\"succeeded\"}");
              }
            });

    follow();

    assertThat(received)
        .containsExactly(
            new SseEvent("1", "job", "{\"status\":\"running\"}"),
            new SseEvent("2", "event", "{\n  \"message\": \"two lines\"\n}"),
            new SseEvent("3", "metric", "{\"epoch\":1}"),
            new SseEvent("4", "end", "{\"status\":\"succeeded\"}"));
    assertThat(api.lastEventIds).containsExactly("null", "2");
    assertThat(notices).containsExactly("stream lost (the server closed it), reconnecting…");
  }

  @Test
  void keepaliveCommentsHoldASilentConnectionOpen() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              out.message("1", "job", "{}");
              for (int i = 0; i < 8; i++) {
                Thread.sleep(100);
                out.write(": keepalive\n\n");
              }
              out.message("2", "end", "{}");
            });

    follow();

    assertThat(api.lastEventIds).containsExactly("null");
    assertThat(notices).isEmpty();
    assertThat(received).extracting(SseEvent::type).containsExactly("job", "end");
  }

  @Test
  void aConnectionSilentPastTheKeepaliveIsDroppedAndResumed() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              if (connection == 0) {
                out.message("1", "job", "{}");
                Thread.sleep(3000);
              } else {
                out.message("2", "end", "{}");
              }
            });

    follow();

    assertThat(api.lastEventIds).containsExactly("null", "1");
    assertThat(notices).singleElement().asString().startsWith("stream lost (silent for");
    assertThat(received).extracting(SseEvent::id).containsExactly("1", "2");
  }

  @Test
  void aServerThatAnswers503WhileItRestartsIsWaitedFor() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              if (connection == 0) {
                out.message("1", "job", "{}");
                api.streamStatus = 503;
                new Thread(
                        () -> {
                          sleep(300);
                          api.streamStatus = 200;
                        })
                    .start();
              } else {
                out.message("2", "end", "{}");
              }
            });

    follow();

    assertThat(api.lastEventIds).containsExactly("null", "1");
    assertThat(notices).first().isEqualTo("stream lost (the server closed it), reconnecting…");
    assertThat(notices).contains("stream lost (HTTP 503), reconnecting…");
  }

  @Test
  void endStopsTheFollowWithoutAReconnect() throws Exception {
    api =
        new FakeJobStreams(
            (connection, lastId, out) -> {
              out.message("1", "end", "{\"status\":\"failed\"}");
              // a server slow to close: the client must not wait for it, nor come back
              Thread.sleep(2000);
            });

    long start = System.nanoTime();
    follow();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    Thread.sleep(200);
    assertThat(api.lastEventIds).containsExactly("null");
  }

  @Test
  void aServerThatNeverSendsAMessageIsGivenUpOn() throws Exception {
    api = new FakeJobStreams((connection, lastId, out) -> out.write(": nothing here\n\n"));
    JobStream.Timing impatient =
        new JobStream.Timing(
            Duration.ofMillis(20),
            Duration.ofMillis(50),
            Duration.ofSeconds(5),
            Duration.ofMillis(300));

    assertThatThrownBy(
            () -> new JobStream(api.client(), 7, notices::add, impatient).follow(received::add))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageContaining("its job stream keeps ending (the server closed it)");
    assertThat(api.lastEventIds.size()).isGreaterThan(2);
    assertThat(received).isEmpty();
  }

  @Test
  void aRefusalIsFinal() throws Exception {
    api = new FakeJobStreams((connection, lastId, out) -> {});
    api.streamStatus = 404;

    assertThatThrownBy(this::follow)
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.detail()).isEqualTo("job 7 says 404"));
    assertThat(notices).isEmpty();
  }

  @Test
  void anApiThatIsNotRunningAtTheStartSaysSo() throws Exception {
    api = new FakeJobStreams((connection, lastId, out) -> {});
    ApiClient client = api.client();
    api.close();

    assertThatThrownBy(() -> new JobStream(client, 7, notices::add, FAST).follow(received::add))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageContaining("is the API running?");
    assertThat(notices).isEmpty();
  }

  private void follow() throws InterruptedException {
    new JobStream(api.client(), 7, notices::add, FAST).follow(received::add);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
