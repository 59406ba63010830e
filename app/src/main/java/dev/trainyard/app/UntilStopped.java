package dev.trainyard.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long-running commands (server, worker, dev) end. Their work runs on other threads, and {@link
 * Main} would otherwise exit the process as soon as they return, so they {@link #block()}.
 *
 * <p>Ctrl-C and SIGTERM are handled here rather than only in a shutdown hook: the JVM runs all
 * shutdown hooks at once, and libraries register their own (embedded PostgreSQL stops itself from
 * one), so a hook cannot stop parts in order. The handler closes the resource first, in its own
 * order, then exits; the hook remains for any other way the JVM ends.
 */
public final class UntilStopped {
  private UntilStopped() {}

  public static void closeOnShutdown(String name, AutoCloseable resource) {
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) {
            try {
              resource.close();
            } catch (Exception e) {
              System.err.println("error while stopping " + name + ": " + e);
            }
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(close, "stop-" + name));
    for (String signal : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(signal),
            received ->
                new Thread(
                        () -> {
                          close.run();
                          System.exit(0);
                        },
                        "stop-" + name + "-on-SIG" + signal)
                    .start());
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // The signal cannot be handled here (platform or JVM option): the shutdown hook remains.
      }
    }
  }

  public static void block() throws InterruptedException {
    new CountDownLatch(1).await();
  }
}
