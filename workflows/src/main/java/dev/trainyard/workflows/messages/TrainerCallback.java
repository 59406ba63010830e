package dev.trainyard.workflows.messages;

/**
 * A heartbeat or event the API accepted (and already persisted). The workflow needs only liveness
 * and a little progress for its query; the full payload lives in PostgreSQL.
 */
public record TrainerCallback(Kind kind, long receivedAtMillis, Integer epoch, Double progress) {
  public enum Kind {
    HEARTBEAT,
    EVENT
  }
}
