package dev.trainyard.workflows;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The seed's job states and the only transitions between them. */
public enum JobStatus {
  PENDING,
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Map<JobStatus, Set<JobStatus>> NEXT =
      Map.of(
          PENDING, EnumSet.of(QUEUED, FAILED, CANCELLED),
          QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          FAILED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class));

  public boolean canTransitionTo(JobStatus next) {
    return NEXT.get(this).contains(next);
  }

  public boolean isTerminal() {
    return NEXT.get(this).isEmpty();
  }

  /** The lower-case name used on the wire and in the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
