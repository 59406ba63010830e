package dev.trainyard.store.changes;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@link JobChanges#CHANNEL} over one dedicated connection and hands each batch of
 * announcements (everything that arrived together) to the consumer, on its own thread. A lost
 * connection is opened again with a growing pause; after that the consumer hears {@link
 * JobChanges#all()}, because announcements made while nobody listened are gone.
 */
public final class JobChangeListener implements AutoCloseable {
  /** Opens a new connection to the job database; the listener owns and closes it. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private static final Logger log = LoggerFactory.getLogger(JobChangeListener.class);
  private static final int WAIT_MS = 500;
  private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

  private final ConnectionSource connections;
  private final Consumer<JobChanges> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection current;

  public JobChangeListener(ConnectionSource connections, Consumer<JobChanges> consumer) {
    this.connections = connections;
    this.consumer = consumer;
    this.thread = new Thread(this::run, "job-change-listener");
    this.thread.setDaemon(true);
  }

  public JobChangeListener start() {
    thread.start();
    return this;
  }

  private void run() {
    long pauseMs = 100;
    boolean listenedBefore = false;
    while (running) {
      try (Connection connection = connections.open()) {
        current = connection;
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + JobChanges.CHANNEL);
        }
        if (listenedBefore) {
          log.info("listening for job changes again; every stream refreshes");
          consumer.accept(JobChanges.all());
        }
        listenedBefore = true;
        pauseMs = 100;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] batch = pg.getNotifications(WAIT_MS);
          if (batch != null && batch.length > 0) {
            consumer.accept(new JobChanges(ids(batch), false));
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "lost the job-change connection ({}); streams pause, retrying in {} ms",
            e.toString(),
            pauseMs);
        sleep(pauseMs);
        pauseMs = Math.min(pauseMs * 2, MAX_PAUSE.toMillis());
      } finally {
        current = null;
      }
    }
  }

  static Set<Long> ids(PGNotification[] batch) {
    Set<Long> ids = new HashSet<>();
    for (PGNotification notification : batch) {
      String payload = notification.getParameter();
      int start = 0;
      while (start < payload.length()) {
        int end = payload.indexOf(',', start);
        if (end < 0) {
          end = payload.length();
        }
        if (end > start) {
          ids.add(Long.parseLong(payload, start, end, 10));
        }
        start = end + 1;
      }
    }
    return ids;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    Connection connection = current;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("closing the job-change connection: {}", e.toString());
      }
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
