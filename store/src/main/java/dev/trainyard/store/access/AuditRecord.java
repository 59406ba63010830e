package dev.trainyard.store.access;

import java.time.Instant;

/** One audit_log row; {@code detail} is JSON text or null. */
public record AuditRecord(
    long id,
    Instant at,
    String actor,
    String action,
    String project,
    String target,
    String detail) {}
