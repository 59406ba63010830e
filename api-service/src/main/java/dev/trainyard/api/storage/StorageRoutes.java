package dev.trainyard.api.storage;

import dev.trainyard.api.access.AuditTrail;
import dev.trainyard.api.access.ProjectAccess;
import io.dropwizard.core.setup.Environment;
import java.util.Optional;

/**
 * Registers the dataset and artifact endpoints; without a storage block they answer 503. Returns
 * the storage, which the logs endpoint reads archived trainer logs from.
 */
public final class StorageRoutes {
  private StorageRoutes() {}

  /** Returns the storage the routes use (empty without a storage block), for the health check. */
  public static Optional<ObjectStorage> register(
      Environment environment, StorageFactory factory, ProjectAccess projects, AuditTrail audit) {
    StorageFactory limits = factory == null ? new StorageFactory() : factory;
    Optional<ObjectStorage> storage =
        factory == null ? Optional.empty() : Optional.of(factory.build(environment));
    StorageAccess access =
        new StorageAccess(storage, limits.getMaxDatasetBytes(), limits.getMaxUnpackedBytes());
    environment.jersey().register(new DatasetsResource(access, projects, audit));
    environment.jersey().register(new ArtifactsResource(access, projects));
    return storage;
  }
}
