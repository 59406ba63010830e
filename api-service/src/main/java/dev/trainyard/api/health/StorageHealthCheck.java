package dev.trainyard.api.health;

import com.codahale.metrics.health.HealthCheck;
import dev.trainyard.api.storage.ObjectStorage;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Whether dataset uploads and artifact downloads can work: the bucket answers a HEAD within a short
 * deadline. Not fatal: jobs are submitted, followed and cancelled without storage. An API without a
 * {@code storage:} block is healthy here (those routes answer 503 saying so): it is a choice, not
 * an outage.
 */
final class StorageHealthCheck extends HealthCheck {
  private final Optional<ObjectStorage> storage;
  private final Duration deadline;

  StorageHealthCheck(Optional<ObjectStorage> storage, Duration deadline) {
    this.storage = storage;
    this.deadline = deadline;
  }

  @Override
  protected Result check() {
    if (storage.isEmpty()) {
      return Result.healthy(
          "not configured: dataset upload and artifact download answer 503 (no storage block)");
    }
    ObjectStorage bucket = storage.get();
    try {
      bucket.checkBucket(deadline);
      return Result.healthy(bucket.url(""));
    } catch (SdkException e) {
      return Result.unhealthy(bucket.url("") + " unreachable: " + e.getMessage());
    }
  }
}
