package dev.trainyard.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a job's stream ({@code GET /v1/jobs/{id}/stream}) until its {@code end} message, across
 * dropped connections: when one ends early, fails, or stays silent past the keepalive, it says so
 * and reconnects after a short backoff with {@code Last-Event-ID}, so the server resumes after the
 * last message seen and nothing is lost or repeated. The API being unreachable at the very first
 * connection, or an error answer (a refused key, an unknown job), ends the follow at once, as a
 * plain call would.
 */
public final class JobStream {
  /**
   * @param firstBackoff the wait before the first reconnect; it doubles on each failure in a row
   * @param maxBackoff the longest wait (the server's {@code retry:}, when it sends one, is used
   *     instead if shorter)
   * @param idleTimeout a connection without a line (a keepalive comment included) this long is
   *     taken as lost; the server sends a comment every 15 s
   * @param giveUpAfter reconnects stop when none has worked for this long
   */
  public record Timing(
      Duration firstBackoff, Duration maxBackoff, Duration idleTimeout, Duration giveUpAfter) {
    public static final Timing DEFAULT =
        new Timing(
            Duration.ofMillis(250),
            Duration.ofSeconds(5),
            Duration.ofSeconds(45),
            Duration.ofMinutes(5));
  }

  /** What the reader thread hands over: a message, or the end of the connection. */
  private record Item(SseEvent event, Exception failure) {}

  private static final Item CLOSED = new Item(null, null);

  private final ApiClient api;
  private final long jobId;
  private final Consumer<String> notices;
  private final Timing timing;
  private String lastEventId;

  /**
   * @param notices where a line about the connection goes ("stream lost, reconnecting…"): stderr
   */
  public JobStream(ApiClient api, long jobId, Consumer<String> notices, Timing timing) {
    this.api = api;
    this.jobId = jobId;
    this.notices = notices;
    this.timing = timing;
  }

  public long jobId() {
    return jobId;
  }

  /** Hands every message to {@code messages}, the {@code end} message last, then returns. */
  public void follow(Consumer<SseEvent> messages) throws InterruptedException {
    boolean connectedOnce = false;
    long failingSince = System.nanoTime();
    Duration backoff = timing.firstBackoff();
    long serverRetry = -1;
    while (true) {
      String why;
      try {
        InputStream body = api.jobStream(jobId, lastEventId);
        connectedOnce = true;
        SseReader reader = new SseReader(body);
        Outcome outcome = read(reader, body, messages);
        serverRetry = reader.retryMillis() >= 0 ? reader.retryMillis() : serverRetry;
        if (outcome.ended()) {
          return;
        }
        if (outcome.delivered()) {
          failingSince = System.nanoTime();
          backoff = timing.firstBackoff();
        } else if (elapsed(failingSince).compareTo(timing.giveUpAfter()) > 0) {
          // answers, but never a message: not a stream this client can follow
          throw new ApiUnreachableException(
              api.baseUrl(),
              new IOException("its job stream keeps ending (" + outcome.why() + ")"));
        }
        why = outcome.why();
      } catch (ApiUnreachableException | ApiException e) {
        // Not there at the start, or refused (a key, an unknown job): final, as for any call.
        // A server that goes away mid-stream, or answers 5xx while it restarts, is waited for.
        boolean transientFailure = !(e instanceof ApiException refused) || refused.status() >= 500;
        if (!connectedOnce
            || !transientFailure
            || elapsed(failingSince).compareTo(timing.giveUpAfter()) > 0) {
          throw e;
        }
        why = e instanceof ApiException refused ? "HTTP " + refused.status() : "API unreachable";
      }
      notices.accept("stream lost (" + why + "), reconnecting…");
      Thread.sleep(backoff.toMillis());
      Duration cap =
          serverRetry >= 0 && serverRetry < timing.maxBackoff().toMillis()
              ? Duration.ofMillis(serverRetry)
              : timing.maxBackoff();
      backoff = backoff.multipliedBy(2).compareTo(cap) > 0 ? cap : backoff.multipliedBy(2);
    }
  }

  /** How one connection ended. */
  private record Outcome(boolean ended, boolean delivered, String why) {}

  private Outcome read(SseReader reader, InputStream body, Consumer<SseEvent> messages)
      throws InterruptedException {
    BlockingQueue<Item> items = new ArrayBlockingQueue<>(256);
    // The reader blocks on the socket; this thread keeps the clock, so a silent connection is
    // noticed (java.net.http has no read timeout). Closing the body ends the reader's read.
    Thread pump = new Thread(() -> pump(reader, items), "job-" + jobId + "-stream");
    pump.setDaemon(true);
    pump.start();
    boolean delivered = false;
    try {
      long step = Math.max(10, timing.idleTimeout().toMillis() / 4);
      while (true) {
        Item item = items.poll(step, TimeUnit.MILLISECONDS);
        if (item == null) {
          if (System.nanoTime() - reader.lastLineNanos() > timing.idleTimeout().toNanos()) {
            return new Outcome(
                false, delivered, "silent for " + timing.idleTimeout().toSeconds() + " s");
          }
        } else if (item.event() != null) {
          SseEvent event = item.event();
          if (event.id() != null) {
            lastEventId = event.id();
          }
          delivered = true;
          messages.accept(event);
          if ("end".equals(event.type())) {
            return new Outcome(true, true, null);
          }
        } else if (item.failure() != null) {
          return new Outcome(false, delivered, describe(item.failure()));
        } else {
          return new Outcome(false, delivered, "the server closed it");
        }
      }
    } finally {
      close(body);
      pump.interrupt();
    }
  }

  private static void pump(SseReader reader, BlockingQueue<Item> items) {
    try {
      try {
        SseEvent event;
        while ((event = reader.next()) != null) {
          items.put(new Item(event, null));
        }
        items.put(CLOSED);
      } catch (IOException e) {
        items.put(new Item(null, e));
      }
    } catch (InterruptedException e) {
      // the follower left; nothing more to hand over
    }
  }

  private static String describe(Exception failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  private static void close(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // it is being dropped anyway
    }
  }

  private static Duration elapsed(long sinceNanos) {
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }
}
