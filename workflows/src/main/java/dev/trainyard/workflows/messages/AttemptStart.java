package dev.trainyard.workflows.messages;

/**
 * Attempt {@code attempt} of at most {@code maxAttempts} starts at {@code atMillis}, right before
 * its launch, resumed from a checkpoint ({@code resumedFromUri}, {@code resumedFromEpoch}) or, with
 * both null, from the start.
 */
public record AttemptStart(
    long jobId,
    int attempt,
    int maxAttempts,
    long atMillis,
    String resumedFromUri,
    Integer resumedFromEpoch) {}
