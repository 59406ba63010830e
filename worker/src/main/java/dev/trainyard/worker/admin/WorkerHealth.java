package dev.trainyard.worker.admin;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The worker's health: whether the Temporal frontend answers and the job database answers, each
 * within {@link #TIMEOUT}, so a probe never hangs on a service that does not answer. A worker that
 * reaches neither can poll nothing and record nothing; its probe failing lets the orchestrator
 * restart or stop routing to it. Results are Dropwizard-shaped: name → {healthy, message}.
 */
public final class WorkerHealth implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** One check's result, as Dropwizard's health checks report theirs. */
  public record Result(boolean healthy, String message) {}

  private final WorkflowServiceStubs temporal;
  private final Jdbi database;
  private final ExecutorService checks =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "worker-health");
            thread.setDaemon(true);
            return thread;
          });

  public WorkerHealth(WorkflowServiceStubs temporal, Jdbi database) {
    this.temporal = temporal;
    this.database = database;
  }

  /** Every check, run in parallel; the map keeps the order temporal, database. */
  public Map<String, Result> check() {
    CompletableFuture<Result> temporalCheck = run(this::temporal);
    CompletableFuture<Result> databaseCheck = run(this::database);
    Map<String, Result> results = new LinkedHashMap<>();
    results.put("temporal", await(temporalCheck));
    results.put("database", await(databaseCheck));
    return results;
  }

  private Result temporal() {
    // GetSystemInfo: what the SDK itself asks first; every Temporal server answers it
    temporal
        .blockingStub()
        .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    return new Result(true, "frontend " + temporal.getOptions().getTarget() + " answers");
  }

  private Result database() {
    database.useHandle(
        handle ->
            handle
                .createQuery("SELECT 1")
                .setQueryTimeout((int) TIMEOUT.toSeconds())
                .mapTo(Integer.class)
                .one());
    return new Result(true, "answers");
  }

  private CompletableFuture<Result> run(Supplier<Result> check) {
    return CompletableFuture.supplyAsync(check, checks);
  }

  private static Result await(CompletableFuture<Result> check) {
    try {
      return check.get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      check.cancel(true);
      return new Result(false, "no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Result(false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
