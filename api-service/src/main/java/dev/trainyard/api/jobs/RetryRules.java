package dev.trainyard.api.jobs;

import dev.trainyard.workflows.FailureReason;
import dev.trainyard.workflows.messages.RetryPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a submit's {@code retry} object (issue #16), each mistake reported on its own field
 * ({@code retry.max_attempts}, {@code retry.retry_on[2]}). What is left out takes its default: the
 * server's {@code retry.defaultMaxAttempts}, and the policy's own for the rest. The policy is
 * always stored whole, so the job keeps the defaults it was submitted under.
 */
final class RetryRules {
  static final int MAX_ATTEMPTS = 20;
  static final int DEFAULT_BACKOFF_SECONDS = 10;
  static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
  static final int DEFAULT_MAX_BACKOFF_SECONDS = 600;
  static final int MAX_BACKOFF_SECONDS = 3600;
  static final int MAX_MAX_BACKOFF_SECONDS = 86_400;
  static final int MIN_BUDGET_SECONDS = 60;
  static final int MAX_BUDGET_SECONDS = 30 * 86_400;

  /** Why each failure that is never retried is not, in the words of the refusal. */
  private static final Map<String, String> NEVER =
      Map.of(
          FailureReason.TRAINER_REPORTED_FAILURE.wireName(),
          "is never retried: the trainer reported that the job itself failed",
          FailureReason.CANCELLED_BY_USER.wireName(),
          "is never retried: a cancelled job stays cancelled",
          FailureReason.CANCEL_FORCED.wireName(),
          "is never retried: a cancelled job stays cancelled",
          FailureReason.WORKFLOW_CANCELLED.wireName(),
          "is never retried: the workflow was cancelled in Temporal",
          FailureReason.DEADLINE_EXCEEDED.wireName(),
          "is never retried: max_runtime_seconds bounds the whole job, every attempt together");

  private RetryRules() {}

  /** The job's policy; null only when {@code errors} holds a mistake of the retry object. */
  static RetryPolicy policy(FieldErrors errors, RetryRequest retry, int defaultMaxAttempts) {
    if (retry == null) {
      return new RetryPolicy(
          defaultMaxAttempts,
          RetryPolicy.DEFAULT_RETRY_ON,
          DEFAULT_BACKOFF_SECONDS,
          DEFAULT_BACKOFF_MULTIPLIER,
          DEFAULT_MAX_BACKOFF_SECONDS,
          null);
    }
    if (retry.unknown() != null) {
      for (String key : retry.unknown().keySet()) {
        errors.add("retry." + key, "is not a known field");
      }
    }
    errors.range("retry.max_attempts", retry.maxAttempts(), 1, MAX_ATTEMPTS, false);
    List<String> retryOn = retryOn(errors, retry.retryOn());
    errors.range("retry.backoff_seconds", retry.backoffSeconds(), 0, MAX_BACKOFF_SECONDS, false);
    Double multiplier = retry.backoffMultiplier();
    if (multiplier != null && !(multiplier >= 1.0 && multiplier <= 10.0)) {
      errors.add("retry.backoff_multiplier", "must be between 1.0 and 10.0");
    }
    int backoff = retry.backoffSeconds() == null ? DEFAULT_BACKOFF_SECONDS : retry.backoffSeconds();
    Integer maxBackoff = retry.maxBackoffSeconds();
    if (maxBackoff != null) {
      if (maxBackoff > MAX_MAX_BACKOFF_SECONDS) {
        errors.add("retry.max_backoff_seconds", "must be at most " + MAX_MAX_BACKOFF_SECONDS);
      } else if (maxBackoff < backoff) {
        errors.add(
            "retry.max_backoff_seconds", "must be at least backoff_seconds (" + backoff + ")");
      }
    }
    errors.range(
        "retry.budget_seconds",
        retry.budgetSeconds(),
        MIN_BUDGET_SECONDS,
        MAX_BUDGET_SECONDS,
        false);
    return new RetryPolicy(
        retry.maxAttempts() == null ? defaultMaxAttempts : retry.maxAttempts(),
        retryOn,
        backoff,
        multiplier == null ? DEFAULT_BACKOFF_MULTIPLIER : multiplier,
        maxBackoff == null ? Math.max(DEFAULT_MAX_BACKOFF_SECONDS, backoff) : maxBackoff,
        retry.budgetSeconds());
  }

  private static List<String> retryOn(FieldErrors errors, List<String> retryOn) {
    if (retryOn == null) {
      return RetryPolicy.DEFAULT_RETRY_ON;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < retryOn.size(); i++) {
      String field = "retry.retry_on[" + i + "]";
      String reason = retryOn.get(i);
      if (reason == null) {
        errors.add(field, "must be a failure reason, not null");
      } else if (NEVER.containsKey(reason)) {
        errors.add(field, NEVER.get(reason));
      } else if (!RetryPolicy.ALLOWED_RETRY_ON.contains(reason)) {
        errors.add(field, "must be one of " + String.join(", ", RetryPolicy.ALLOWED_RETRY_ON));
      } else if (!seen.add(reason)) {
        errors.add(field, "appears more than once");
      }
    }
    return List.copyOf(retryOn.stream().filter(r -> r != null).toList());
  }
}
