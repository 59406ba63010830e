package dev.trainyard.api.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * A client of one job's stream. Until its catch-up from the database is written it keeps what the
 * hub delivers live in a backlog; then it skips what the catch-up already sent (by event and metric
 * id) and goes live. Each message gets this client's cursor as its SSE id.
 */
final class JobSubscriber {
  private static final int MAX_BACKLOG = 10_000;

  final long jobId;
  final StreamOutput output;

  /** The key the client connected with; its stream ends once it is revoked or expires. */
  final String keyId;

  /** Whether this client streams the trainer log too ({@code logs=true}). */
  final boolean logs;

  private JobCursor cursor;
  private List<StreamMessage> backlog = new ArrayList<>();
  private boolean ended;

  JobSubscriber(long jobId, StreamOutput output, JobCursor cursor, String keyId) {
    this.jobId = jobId;
    this.output = output;
    this.keyId = keyId;
    this.cursor = cursor;
    this.logs = cursor.logs();
  }

  /** Live messages from the hub, in order. */
  synchronized void deliver(List<StreamMessage> messages) {
    if (ended) {
      return;
    }
    if (backlog != null) {
      if (backlog.size() + messages.size() > MAX_BACKLOG) {
        ended = true;
        output.abort();
        return;
      }
      backlog.addAll(messages);
      return;
    }
    send(messages);
  }

  /** The cursor after the catch-up; what the backlog holds beyond it goes out now. */
  synchronized void caughtUp(JobCursor afterCatchUp, boolean jobEnded, String endStatus) {
    cursor = afterCatchUp;
    List<StreamMessage> held = backlog;
    backlog = null;
    if (jobEnded) {
      ended = true;
      output.offer(SseFrames.frame(cursor.id(), "end", StreamMessage.end(endStatus).data()));
      output.finish();
      return;
    }
    send(held);
  }

  synchronized JobCursor cursor() {
    return cursor;
  }

  synchronized boolean ended() {
    return ended;
  }

  private void send(List<StreamMessage> messages) {
    StringBuilder text = new StringBuilder();
    for (StreamMessage message : messages) {
      String data = message.data();
      if (message.log() != null) {
        if (!cursor.logs()) {
          continue;
        }
        List<String> lines = message.log().after(cursor.logOffset());
        if (lines.isEmpty()) {
          continue;
        }
        if (lines.size() < message.log().lines().size()) {
          data = LogData.of(lines); // the catch-up already sent the first lines
        }
      } else if (cursor.covers(message)) {
        continue;
      }
      cursor = cursor.after(message);
      SseFrames.append(text, cursor.id(), message.event(), data);
      if (message.isEnd()) {
        ended = true;
        break;
      }
    }
    if (text.length() > 0 && !output.offer(text.toString())) {
      ended = true;
    }
    if (ended) {
      output.finish();
    }
  }
}
