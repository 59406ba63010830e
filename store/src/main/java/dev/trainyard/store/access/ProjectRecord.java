package dev.trainyard.store.access;

import java.time.Instant;

/** One projects row. */
public record ProjectRecord(String name, Instant createdAt, String createdBy) {}
