package dev.trainyard.store.frameworks;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The {@code trainer_frameworks} table: which frameworks the workers serve. Workers write their own
 * rows ({@link #replace}, then {@link #refresh} while they run); the API reads {@link #served}.
 */
public interface TrainerFrameworkDao {
  /**
   * Stands for a worker's default trainer (a default command or image): it serves any framework.
   */
  String ANY_FRAMEWORK = "*";

  /** How often a running worker refreshes its rows. */
  Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

  /**
   * How long the rows of a worker that stopped refreshing them still count. Long enough to ride out
   * a restart or a rolling deploy (jobs submitted meanwhile wait in Temporal's queue for a worker);
   * short enough that a framework no worker serves any more is soon refused at submit again.
   */
  Duration FORGET_AFTER = Duration.ofHours(1);

  /** What one worker serves, replacing what it registered before (a restart under the same id). */
  @Transaction
  default void replace(String workerId, Collection<String> frameworks) {
    forget(workerId);
    if (!frameworks.isEmpty()) {
      insert(workerId, frameworks);
    }
  }

  @SqlUpdate("DELETE FROM trainer_frameworks WHERE worker_id = :workerId")
  void forget(@Bind("workerId") String workerId);

  @SqlBatch(
      "INSERT INTO trainer_frameworks (worker_id, framework) VALUES (:workerId, :framework)"
          + " ON CONFLICT (worker_id, framework) DO UPDATE SET seen_at = now()")
  void insert(@Bind("workerId") String workerId, @Bind("framework") Collection<String> frameworks);

  /** The worker is still running; returns how many of its rows were refreshed. */
  @SqlUpdate("UPDATE trainer_frameworks SET seen_at = now() WHERE worker_id = :workerId")
  int refresh(@Bind("workerId") String workerId);

  /**
   * Frameworks served by the workers that refreshed their rows within {@link #FORGET_AFTER}; {@link
   * #ANY_FRAMEWORK} among them when one of those has a default trainer.
   */
  default Set<String> served() {
    return servedWithinSeconds(FORGET_AFTER.toSeconds());
  }

  @SqlQuery(
      "SELECT DISTINCT framework FROM trainer_frameworks"
          + " WHERE seen_at > now() - make_interval(secs => :maxAgeSeconds)")
  Set<String> servedWithinSeconds(@Bind("maxAgeSeconds") double maxAgeSeconds);
}
