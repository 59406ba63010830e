package dev.trainyard.worker;

import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the API which frameworks this worker serves, so that a job no trainer would run is refused
 * at submit: writes them when the worker starts and refreshes them while it runs. Closing stops the
 * refresh but leaves the rows, which count for {@link TrainerFrameworkDao#FORGET_AFTER} more: a
 * worker that restarts, or a fleet being redeployed, must not make its frameworks unknown.
 */
public final class FrameworkRegistration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FrameworkRegistration.class);

  private final ScheduledExecutorService refresher;

  private FrameworkRegistration(ScheduledExecutorService refresher) {
    this.refresher = refresher;
  }

  /**
   * @param workerId who registers; a worker started again under the same id replaces its rows
   */
  public static FrameworkRegistration start(Jdbi jdbi, String workerId, Set<String> frameworks) {
    TrainerFrameworkDao dao = jdbi.onDemand(TrainerFrameworkDao.class);
    dao.replace(workerId, frameworks);
    log.info("worker {} serves frameworks {}", workerId, frameworks);
    ScheduledExecutorService refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "framework-registration");
              thread.setDaemon(true);
              return thread;
            });
    long every = TrainerFrameworkDao.REFRESH_INTERVAL.toMillis();
    refresher.scheduleWithFixedDelay(
        () -> refresh(dao, workerId, frameworks), every, every, TimeUnit.MILLISECONDS);
    return new FrameworkRegistration(refresher);
  }

  /** A process-wide id as Temporal's default worker identity has it: {@code pid@host}. */
  public static String processWorkerId() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  private static void refresh(TrainerFrameworkDao dao, String workerId, Set<String> frameworks) {
    try {
      if (dao.refresh(workerId) < frameworks.size()) {
        // the rows are gone (deleted by hand): this worker still serves those frameworks
        dao.replace(workerId, frameworks);
      }
    } catch (RuntimeException e) {
      // A database outage must not stop the worker; the rows outlive many missed refreshes.
      log.warn("could not refresh the frameworks of worker {}: {}", workerId, e.toString());
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
