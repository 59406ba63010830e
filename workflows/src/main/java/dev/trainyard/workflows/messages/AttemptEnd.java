package dev.trainyard.workflows.messages;

/**
 * Attempt {@code attempt} ended at {@code atMillis}: {@code cause} is the {@link
 * dev.trainyard.workflows.FailureReason} wire name (null when it succeeded), {@code message} the
 * human words, {@code nextAttemptAtMillis} when the next attempt starts (null: none, the job
 * ended).
 */
public record AttemptEnd(
    long jobId,
    int attempt,
    long atMillis,
    String cause,
    String message,
    Long nextAttemptAtMillis) {}
