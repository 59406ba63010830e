package dev.trainyard.api.streams;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection: text queued by the hub, written by one writer task at a time so the hub
 * never waits on a socket. Everything queued while a write is under way goes out as one chunk (one
 * flush). A client that falls more than {@link #MAX_QUEUED_CHARS} behind is dropped: it reconnects
 * with Last-Event-ID and catches up from the database, so nothing is buffered without bound.
 */
final class StreamOutput {
  static final int MAX_QUEUED_CHARS = 1 << 20;
  private static final Logger log = LoggerFactory.getLogger(StreamOutput.class);

  private final ChunkedOutput<String> out;
  private final Executor writers;
  private final Runnable onClose;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int queuedChars;
  private boolean writing;
  private boolean closing;
  private boolean closed;

  StreamOutput(ChunkedOutput<String> out, Executor writers, Runnable onClose) {
    this.out = out;
    this.writers = writers;
    this.onClose = onClose;
  }

  ChunkedOutput<String> chunks() {
    return out;
  }

  /**
   * Writes on the caller's thread: only for a client's catch-up, before the hub may queue anything
   * for it (a catch-up of 10,000 metrics must not count against the queue's bound).
   */
  void writeDirectly(String text) throws IOException {
    out.write(text);
  }

  /** Queues text; false when the client is gone or was just dropped for being too slow. */
  boolean offer(String text) {
    synchronized (this) {
      if (closing) {
        return false;
      }
      if (queuedChars + text.length() > MAX_QUEUED_CHARS) {
        log.info("stream client fell {} characters behind; dropped (it resumes)", queuedChars);
        closing = true;
        queue.clear();
        queuedChars = 0;
        if (writing) {
          return false; // the writer closes when its write returns (or fails)
        }
        writing = true;
      } else {
        queue.add(text);
        queuedChars += text.length();
        if (writing) {
          return true;
        }
        writing = true;
      }
    }
    writers.execute(this::drain);
    return !closing();
  }

  /** Writes what is queued, then {@code end} and closes: the stream's last words. */
  void finish() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      if (writing) {
        return;
      }
      writing = true;
    }
    writers.execute(this::drain);
  }

  /** Closes without writing anything more (server stopping, key revoked). */
  void abort() {
    synchronized (this) {
      if (closing && writing) {
        return;
      }
      queue.clear();
      queuedChars = 0;
      closing = true;
      if (writing) {
        return;
      }
      writing = true;
    }
    writers.execute(this::drain);
  }

  private synchronized boolean closing() {
    return closing;
  }

  private void drain() {
    while (true) {
      String chunk;
      synchronized (this) {
        if (queue.isEmpty()) {
          if (closing) {
            break;
          }
          writing = false;
          return;
        }
        chunk = queue.size() == 1 ? queue.poll() : String.join("", queue);
        queue.clear();
        queuedChars = 0;
      }
      try {
        out.write(chunk);
      } catch (IOException | RuntimeException e) {
        log.debug("stream client went away: {}", e.toString());
        synchronized (this) {
          closing = true;
          queue.clear();
          queuedChars = 0;
        }
        break;
      }
    }
    close();
  }

  private void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      writing = false;
    }
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing a stream: {}", e.toString());
    }
    onClose.run();
  }
}
