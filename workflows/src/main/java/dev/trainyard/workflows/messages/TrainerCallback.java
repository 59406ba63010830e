package dev.trainyard.workflows.messages;

/**
 * A heartbeat or event the API accepted (and already persisted). The workflow needs only liveness
 * and a little progress for its query; the full payload lives in PostgreSQL. {@code attempt} is the
 * attempt of the token that sent it (null: 1, as in histories from before attempts).
 */
public record TrainerCallback(
    Kind kind, long receivedAtMillis, Integer epoch, Double progress, Integer attempt) {
  public enum Kind {
    HEARTBEAT,
    EVENT
  }

  /** A callback of the first attempt. */
  public TrainerCallback(Kind kind, long receivedAtMillis, Integer epoch, Double progress) {
    this(kind, receivedAtMillis, epoch, progress, null);
  }
}
