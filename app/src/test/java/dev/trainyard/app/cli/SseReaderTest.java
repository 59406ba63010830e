package dev.trainyard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream format, as the HTML standard interprets it. */
class SseReaderTest {

  @Test
  void readsTypedMessagesWithTheirIds() throws IOException {
    List<SseEvent> events =
        read(
            "retry: 2000\n\nid: 1\nevent: job\ndata: {\"a\":1}\n\nid: 2\nevent: end\ndata: {}\n\n");

    assertThat(events)
        .containsExactly(new SseEvent("1", "job", "{\"a\":1}"), new SseEvent("2", "end", "{}"));
  }

  @Test
  void joinsDataLinesAndTakesOneSpaceAfterTheColon() throws IOException {
    assertThat(read("data:  two spaces\ndata:none\ndata\ndata: last\n\n"))
        .containsExactly(new SseEvent(null, "message", " two spaces\nnone\n\nlast"));
  }

  @Test
  void skipsCommentsAndUnknownFieldsAndKeepsTheLastIdAcrossMessages() throws IOException {
    assertThat(
            read(
                ": keepalive\n\nid: 7\ndata: a\n\n: keepalive\nfoo: bar\ndata: b\n\n"
                    + "id\ndata: c\n\n"))
        .containsExactly(
            new SseEvent("7", "message", "a"),
            new SseEvent("7", "message", "b"),
            new SseEvent(null, "message", "c"));
  }

  @Test
  void acceptsCrLfAndLoneCrLineEndsAndALeadingByteOrderMark() throws IOException {
    assertThat(read("\uFEFFid: 1\r\nevent: job\r\ndata: x\r\n\r\nid: 2\rdata: y\r\r"))
        .containsExactly(new SseEvent("1", "job", "x"), new SseEvent("2", "message", "y"));
  }

  @Test
  void aMessageWithoutDataIsNotDispatchedAndItsTypeDoesNotLeak() throws IOException {
    assertThat(read("event: job\n\ndata: x\n\n"))
        .containsExactly(new SseEvent(null, "message", "x"));
  }

  @Test
  void aMessageCutOffByTheEndOfTheStreamIsDropped() throws IOException {
    assertThat(read("id: 1\ndata: whole\n\nid: 2\nevent: job\ndata: {\"half"))
        .containsExactly(new SseEvent("1", "message", "whole"));
  }

  @Test
  void retryTakesOnlyDigits() throws IOException {
    SseReader reader = reader("retry: 1500\n\nretry: soon\n\nretry: -1\n\n");
    assertThat(reader.next()).isNull();
    assertThat(reader.retryMillis()).isEqualTo(1500);
  }

  private static List<SseEvent> read(String text) throws IOException {
    SseReader reader = reader(text);
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent event = reader.next(); event != null; event = reader.next()) {
      events.add(event);
    }
    return events;
  }

  private static SseReader reader(String text) {
    return new SseReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
