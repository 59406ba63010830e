package dev.trainyard.store.jobs;

import java.time.Instant;

/** One training_metrics row; epoch -1 holds the final metrics from done. */
public record MetricRecord(long id, int epoch, int step, String metrics, Instant createdAt) {}
