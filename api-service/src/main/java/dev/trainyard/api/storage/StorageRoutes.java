package dev.trainyard.api.storage;

import io.dropwizard.core.setup.Environment;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Registers the dataset and artifact endpoints; without a storage block they answer 503. */
public final class StorageRoutes {
  private StorageRoutes() {}

  public static void register(Environment environment, StorageFactory factory, Jdbi jdbi) {
    StorageFactory limits = factory == null ? new StorageFactory() : factory;
    StorageAccess access =
        new StorageAccess(
            factory == null ? Optional.empty() : Optional.of(factory.build(environment)),
            limits.getMaxDatasetBytes(),
            limits.getMaxUnpackedBytes());
    environment.jersey().register(new DatasetsResource(access));
    environment.jersey().register(new ArtifactsResource(access, jdbi));
  }
}
