package dev.trainyard.bench.stack;

import dev.trainyard.store.access.ApiKeys;
import dev.trainyard.store.access.ProjectDao;
import dev.trainyard.store.access.Role;
import org.jdbi.v3.core.Jdbi;

/**
 * What a bench run needs to use the user API: the project its jobs are submitted to and a key. Made
 * in the database, as the server-side bootstrap does (the API has migrated it by then).
 */
public final class BenchAccess {
  /** The project every bench and fault-test job belongs to. */
  public static final String PROJECT = "bench";

  private BenchAccess() {}

  /** Creates the bench project if needed and a fresh global admin key; returns the key. */
  public static String adminKey(Jdbi jdbi) {
    jdbi.onDemand(ProjectDao.class).create(PROJECT, "bench");
    return ApiKeys.issue(jdbi, "bench", null, Role.ADMIN, null, "bench").key();
  }
}
