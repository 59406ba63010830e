package dev.trainyard.api.dashboard;

import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/** Registers the dashboard's page and assets and its configuration route. */
public final class DashboardRoutes {
  private DashboardRoutes() {}

  public static void register(
      Environment environment, DashboardFactory config, String temporalNamespace, Jdbi jdbi) {
    environment.jersey().register(new DashboardResource());
    environment
        .jersey()
        .register(
            new DashboardConfigResource(
                config, temporalNamespace, jdbi.onDemand(TrainerFrameworkDao.class)));
  }
}
