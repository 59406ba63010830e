package dev.trainyard.store.jobs;

import java.time.Instant;

/**
 * One {@code job_attempts} row: an attempt of a job, its end (null while it runs), its cause (a
 * failure reason's wire name; null while it runs or when it succeeded) and the checkpoint it
 * resumed from (null for a fresh start).
 */
public record AttemptRecord(
    long jobId,
    int attempt,
    Instant startedAt,
    Instant endedAt,
    String cause,
    String message,
    String resumedFromUri,
    Integer resumedFromEpoch) {}
