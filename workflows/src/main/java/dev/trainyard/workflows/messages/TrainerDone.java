package dev.trainyard.workflows.messages;

/**
 * The trainer's final report, reduced to what decides the job's status. {@code attempt} is the
 * attempt of the token that sent it (null: 1).
 */
public record TrainerDone(boolean succeeded, String error, long receivedAtMillis, Integer attempt) {
  /** A done of the first attempt. */
  public TrainerDone(boolean succeeded, String error, long receivedAtMillis) {
    this(succeeded, error, receivedAtMillis, null);
  }
}
