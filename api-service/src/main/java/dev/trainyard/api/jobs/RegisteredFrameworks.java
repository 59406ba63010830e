package dev.trainyard.api.jobs;

import dev.trainyard.store.frameworks.TrainerFrameworkDao;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The frameworks that the workers have registered a trainer for (see {@link TrainerFrameworkDao}),
 * so that submit refuses a job no trainer would run. The set is cached for a few seconds to keep
 * submit to one round trip; a framework not in the cached set is looked up again before it is
 * refused, so a worker that has just registered a framework is never refused for it.
 */
public final class RegisteredFrameworks {
  static final Duration CACHE_FOR = Duration.ofSeconds(5);

  private final Supplier<Set<String>> read;
  private final LongSupplier nanoTime;

  /** Replaced whole, never locked: concurrent submits may both read; none waits for another. */
  private volatile Snapshot snapshot;

  RegisteredFrameworks(Supplier<Set<String>> read, LongSupplier nanoTime) {
    this.read = read;
    this.nanoTime = nanoTime;
  }

  public static RegisteredFrameworks on(Jdbi jdbi) {
    TrainerFrameworkDao dao = jdbi.onDemand(TrainerFrameworkDao.class);
    return new RegisteredFrameworks(dao::served, System::nanoTime);
  }

  /**
   * Adds a reason under {@code field} unless a registered trainer serves the framework; a field
   * already refused for its form is not looked up.
   */
  void check(FieldErrors errors, String field, String framework) {
    if (framework == null || errors.has(field)) {
      return;
    }
    Set<String> served = served(false);
    if (!isServed(served, framework)) {
      served = served(true);
    }
    if (!isServed(served, framework)) {
      errors.add(
          field, "has no trainer registered by any worker; known frameworks: " + list(served));
    }
  }

  private Set<String> served(boolean fresh) {
    Snapshot current = snapshot;
    long now = nanoTime.getAsLong();
    if (fresh || current == null || now - current.readAt() > CACHE_FOR.toNanos()) {
      current = new Snapshot(Set.copyOf(read.get()), now);
      snapshot = current;
    }
    return current.frameworks();
  }

  private static boolean isServed(Set<String> served, String framework) {
    return served.contains(framework) || served.contains(TrainerFrameworkDao.ANY_FRAMEWORK);
  }

  /** As JSON would write it, so a client can show or parse it: ["scripted","ultralytics"]. */
  private static String list(Set<String> served) {
    return new TreeSet<>(served)
        .stream().map(name -> '"' + name + '"').collect(Collectors.joining(",", "[", "]"));
  }

  private record Snapshot(Set<String> frameworks, long readAt) {}
}
