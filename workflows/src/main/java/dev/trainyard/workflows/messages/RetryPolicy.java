package dev.trainyard.workflows.messages;

import dev.trainyard.workflows.FailureReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How a job's failed attempts are retried: at most {@code maxAttempts} attempts (1 = no retry, the
 * seed's behaviour), only for the failure reasons in {@code retryOn} (wire names of {@link
 * FailureReason}), after a backoff of {@code backoffSeconds} that grows by {@code
 * backoffMultiplier} per failed attempt up to {@code maxBackoffSeconds}, and no new attempt once
 * {@code budgetSeconds} (null: no limit) have passed since the first attempt started. Validated by
 * the API at submit; fixed for the life of the job. {@code trainer_reported_failure} (the trainer
 * said the job is bad), cancellations and {@code deadline_exceeded} are never retried, whatever
 * {@code retryOn} says.
 */
public record RetryPolicy(
    int maxAttempts,
    List<String> retryOn,
    int backoffSeconds,
    double backoffMultiplier,
    int maxBackoffSeconds,
    Integer budgetSeconds) {

  /** What {@code retry_on} holds when a submit leaves it out. */
  public static final List<String> DEFAULT_RETRY_ON =
      List.of(
          FailureReason.TRAINER_EXITED.wireName(),
          FailureReason.OOM_KILLED.wireName(),
          FailureReason.EVICTED.wireName(),
          FailureReason.PREEMPTED.wireName(),
          FailureReason.NODE_LOST.wireName(),
          FailureReason.HEARTBEAT_TIMEOUT.wireName(),
          FailureReason.LAUNCH_FAILED.wireName());

  /** Every word {@code retry_on} may hold: the defaults, the start-up timeout and image pulls. */
  public static final List<String> ALLOWED_RETRY_ON =
      Stream.concat(
              DEFAULT_RETRY_ON.stream(),
              Stream.of(
                  FailureReason.STARTUP_TIMEOUT.wireName(),
                  FailureReason.IMAGE_PULL_FAILED.wireName()))
          .toList();

  /** Reasons no policy retries: the trainer's own verdict, cancellations, the max runtime. */
  public static final Set<FailureReason> NEVER_RETRIED =
      Set.of(
          FailureReason.TRAINER_REPORTED_FAILURE,
          FailureReason.CANCELLED_BY_USER,
          FailureReason.CANCEL_FORCED,
          FailureReason.WORKFLOW_CANCELLED,
          FailureReason.DEADLINE_EXCEEDED);

  /**
   * Exit codes of a trainer that exited by itself that mean the job itself is wrong (2: usage, as
   * argparse exits on bad arguments): such an exit is not retried even when {@code trainer_exited}
   * is.
   */
  public static final Set<Integer> USER_ERROR_EXIT_CODES = Set.of(2);

  public static final int MIN_ATTEMPTS = 1;
  public static final int MAX_ATTEMPTS = 20;
  public static final int DEFAULT_BACKOFF_SECONDS = 10;
  public static final int MAX_BACKOFF_SECONDS_LIMIT = 86_400;
  public static final int MAX_INITIAL_BACKOFF_SECONDS = 3600;
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  public static final double MIN_BACKOFF_MULTIPLIER = 1.0;
  public static final double MAX_BACKOFF_MULTIPLIER = 10.0;
  public static final int DEFAULT_MAX_BACKOFF_SECONDS = 600;
  public static final int MIN_BUDGET_SECONDS = 60;
  public static final int MAX_BUDGET_SECONDS = 2_592_000;

  public RetryPolicy {
    retryOn = retryOn == null ? DEFAULT_RETRY_ON : List.copyOf(retryOn);
  }

  /** One attempt: what a job without a policy (and every job before retries existed) does. */
  public static RetryPolicy none() {
    return defaults(1);
  }

  /** The defaults of every field but the number of attempts. */
  public static RetryPolicy defaults(int maxAttempts) {
    return new RetryPolicy(
        maxAttempts,
        DEFAULT_RETRY_ON,
        DEFAULT_BACKOFF_SECONDS,
        DEFAULT_BACKOFF_MULTIPLIER,
        DEFAULT_MAX_BACKOFF_SECONDS,
        null);
  }

  /** Whether this policy names {@code reason} at all (before the attempts and the budget). */
  public boolean retries(FailureReason reason) {
    return reason != null && !NEVER_RETRIED.contains(reason) && retryOn.contains(reason.wireName());
  }

  /**
   * The wait after attempt {@code failedAttempt} (1-based) failed, before the next one starts:
   * {@code backoffSeconds × backoffMultiplier^(failedAttempt − 1)}, at most {@code
   * maxBackoffSeconds}.
   */
  public Duration backoffAfter(int failedAttempt) {
    double seconds = backoffSeconds * Math.pow(backoffMultiplier, Math.max(0, failedAttempt - 1));
    double bounded = Math.min(seconds, Math.max(backoffSeconds, maxBackoffSeconds));
    return Duration.ofMillis(Math.round(bounded * 1000));
  }
}
