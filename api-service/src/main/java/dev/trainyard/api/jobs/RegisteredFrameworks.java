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
  private Set<String> cached;
  private long readAt;

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

  private synchronized Set<String> served(boolean fresh) {
    long now = nanoTime.getAsLong();
    if (fresh || cached == null || now - readAt > CACHE_FOR.toNanos()) {
      cached = Set.copyOf(read.get());
      readAt = now;
    }
    return cached;
  }

  private static boolean isServed(Set<String> served, String framework) {
    return served.contains(framework) || served.contains(TrainerFrameworkDao.ANY_FRAMEWORK);
  }

  /** As JSON would write it, so a client can show or parse it: ["scripted","ultralytics"]. */
  private static String list(Set<String> served) {
    return new TreeSet<>(served)
        .stream().map(name -> '"' + name + '"').collect(Collectors.joining(",", "[", "]"));
  }
}
