package dev.trainyard.api.storage;

import io.dropwizard.core.setup.Environment;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Registers the dataset and artifact endpoints; without a storage block they answer 503. */
public final class StorageRoutes {
  private static final long DEFAULT_MAX_DATASET_BYTES = new StorageFactory().getMaxDatasetBytes();

  private StorageRoutes() {}

  public static void register(Environment environment, StorageFactory factory, Jdbi jdbi) {
    StorageAccess access =
        factory == null
            ? new StorageAccess(Optional.empty(), DEFAULT_MAX_DATASET_BYTES)
            : new StorageAccess(
                Optional.of(factory.build(environment)), factory.getMaxDatasetBytes());
    environment.jersey().register(new DatasetsResource(access));
    environment.jersey().register(new ArtifactsResource(access, jdbi));
  }
}
