package dev.trainyard.store.jobs;

import java.time.Instant;

/** One job_events row; {@code data} is JSON text or null. */
public record EventRecord(
    long id,
    long jobId,
    String traceId,
    String source,
    String level,
    String eventType,
    String message,
    String data,
    Instant createdAt) {}
