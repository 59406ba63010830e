package dev.trainyard.store.changes;

import java.util.Set;

/**
 * Jobs whose row, events or metrics changed, as the database announced them (migration V5). {@code
 * everything} means the listener may have missed announcements (it reconnected), so a consumer must
 * treat every job it cares about as changed.
 */
public record JobChanges(Set<Long> jobIds, boolean everything) {
  /** The channel the V5 triggers notify on. */
  public static final String CHANNEL = "trainyard_job_changes";

  public static JobChanges all() {
    return new JobChanges(Set.of(), true);
  }
}
