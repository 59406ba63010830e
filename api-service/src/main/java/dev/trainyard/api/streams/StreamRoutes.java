package dev.trainyard.api.streams;

import dev.trainyard.api.access.ProjectAccess;
import dev.trainyard.api.config.UserApiFactory;
import dev.trainyard.api.logs.ArchivedLogs;
import dev.trainyard.api.logs.LocalLogStreamer;
import dev.trainyard.store.JsonText;
import dev.trainyard.store.changes.JobChangeListener;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;

/**
 * Wires the live streams: a LISTEN connection of its own (outside the pool, which it would hold
 * forever), the hub's tick thread, and writer threads started as clients need them (one per client
 * at most, so a client whose socket is full holds up no other).
 */
public final class StreamRoutes {
  private StreamRoutes() {}

  public static void register(
      Environment environment,
      DataSourceFactory database,
      Jdbi jdbi,
      JsonText json,
      ProjectAccess projects,
      LocalLogStreamer localLogs,
      ArchivedLogs archivedLogs,
      UserApiFactory settings) {
    int maxClients = settings.getMaxStreamClients();
    Clock clock = Clock.systemUTC();
    JobLogFiles logFiles = new JobLogFiles(jdbi, localLogs, archivedLogs);
    JobStreamHub hub =
        new JobStreamHub(
            jdbi, json, clock, logFiles, Duration.ofSeconds(settings.getStreamKeepaliveSeconds()));
    ExecutorService writers =
        new ThreadPoolExecutor(
            0,
            maxClients + 8,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable -> daemon(runnable, "stream-writer"));
    JobStreams streams = new JobStreams(hub, logFiles, jdbi, json, writers, clock, maxClients);
    environment.jersey().register(new JobStreamResource(streams, projects, logFiles));
    // Closed as the server begins to stop, not after: Jetty's graceful stop waits for open
    // requests, and a stream never ends by itself (clients reconnect to another replica).
    environment
        .lifecycle()
        .addEventListener(
            new LifeCycle.Listener() {
              @Override
              public void lifeCycleStopping(LifeCycle event) {
                hub.closeAll();
              }
            });
    environment
        .lifecycle()
        .manage(
            new Managed() {
              private ScheduledExecutorService ticks;
              private JobChangeListener listener;

              @Override
              public void start() {
                listener = new JobChangeListener(() -> connect(database), hub::onChanges).start();
                ticks = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "stream-hub"));
                hub.runOn(ticks);
              }

              @Override
              public void stop() {
                listener.close();
                ticks.shutdownNow();
                hub.closeAll();
                writers.shutdown();
              }
            });
  }

  private static java.sql.Connection connect(DataSourceFactory database)
      throws java.sql.SQLException {
    Properties properties = new Properties();
    properties.putAll(database.getProperties());
    if (database.getUser() != null) {
      properties.setProperty("user", database.getUser());
    }
    if (database.getPassword() != null) {
      properties.setProperty("password", database.getPassword());
    }
    return DriverManager.getConnection(database.getUrl(), properties);
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
