package dev.trainyard.api.storage;

import dev.trainyard.api.errors.ApiException;
import java.util.Optional;

/** The configured storage, or a 503 that tells the operator what is missing. */
public final class StorageAccess {
  private final ObjectStorage storage;
  private final long maxDatasetBytes;
  private final long maxUnpackedBytes;

  public StorageAccess(
      Optional<ObjectStorage> storage, long maxDatasetBytes, long maxUnpackedBytes) {
    this.storage = storage.orElse(null);
    this.maxDatasetBytes = maxDatasetBytes;
    this.maxUnpackedBytes = maxUnpackedBytes;
  }

  public ObjectStorage storage() {
    if (storage == null) {
      throw new ApiException(
          503,
          "object storage is not configured: add a 'storage' block"
              + " (bucket, endpoint, credentials) to the API configuration");
    }
    return storage;
  }

  public long maxDatasetBytes() {
    return maxDatasetBytes;
  }

  public long maxUnpackedBytes() {
    return maxUnpackedBytes;
  }
}
