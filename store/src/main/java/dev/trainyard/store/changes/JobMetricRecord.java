package dev.trainyard.store.changes;

import dev.trainyard.store.jobs.MetricRecord;

/** A metrics row with the job it belongs to, for reads that span jobs. */
public record JobMetricRecord(long jobId, MetricRecord metric) {}
