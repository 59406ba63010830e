package dev.trainyard.api.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.jersey.server.ChunkedOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's connection never holds up the hub, and one that cannot keep up is let go. */
class StreamOutputTest {
  private final ExecutorService writers = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    writers.shutdownNow();
  }

  /** A socket whose reader stopped reading: every write blocks until released. */
  private static final class StuckOutput extends ChunkedOutput<String> {
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> written = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();

    StuckOutput() {
      super(String.class);
    }

    @Override
    public void write(String chunk) throws IOException {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      written.add(chunk);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void aStuckClientIsDroppedOnceItFallsTooFarBehindAndNeverBlocksTheOfferer() throws Exception {
    StuckOutput socket = new StuckOutput();
    CountDownLatch gone = new CountDownLatch(1);
    StreamOutput output = new StreamOutput(socket, writers, gone::countDown);
    String chunk = "x".repeat(64 * 1024);

    long started = System.nanoTime();
    int accepted = 0;
    while (output.offer(chunk)) {
      accepted++;
      assertThat(accepted).as("the bound holds").isLessThan(1_000);
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .as("offers return at once while the socket is stuck")
        .isLessThan(5_000);
    // Held at most: the queue's bound, plus the one write under way, which took what was queued
    // when it started (the writer may start after several offers, so that write can be large).
    assertThat((long) accepted * chunk.length())
        .isLessThanOrEqualTo(2L * StreamOutput.MAX_QUEUED_CHARS + chunk.length());
    assertThat(output.offer("more")).isFalse();

    socket.release.countDown(); // the stuck write returns (Jetty's idle timeout would fail it)
    assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(socket.closed).isTrue();
    // at most the one write that was under way; the backlog was dropped
    assertThat(socket.written).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void whatQueuesDuringAWriteGoesOutAsOneChunkInOrder() throws Exception {
    StuckOutput socket = new StuckOutput();
    StreamOutput output = new StreamOutput(socket, writers, () -> {});
    output.offer("a");
    output.offer("b");
    output.offer("c");
    socket.release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (String.join("", socket.written).length() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(String.join("", socket.written)).isEqualTo("abc");
    assertThat(socket.written).hasSizeLessThanOrEqualTo(2);
  }
}
