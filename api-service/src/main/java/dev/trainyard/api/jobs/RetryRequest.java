package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The submit's {@code retry} object, as sent; {@link SubmitJobValidator} checks it. A key it does
 * not know is collected in {@code unknown} and refused by the validator, naming it ({@code
 * retry.<key>}), with the other mistakes of the submit.
 */
@Schema(
    name = "RetryPolicy",
    description =
        "When a job's trainer dies, how often and after how long it is started again, resuming from"
            + " its last checkpoint. Every field may be left out.")
public record RetryRequest(
    @JsonProperty("max_attempts")
        @Schema(
            minimum = "1",
            maximum = "20",
            description =
                "Attempts in all, the first included (default: the server's"
                    + " retry.defaultMaxAttempts, 1 unless configured)",
            example = "3")
        Integer maxAttempts,
    @JsonProperty("retry_on")
        @ArraySchema(
            uniqueItems = true,
            arraySchema =
                @Schema(
                    description =
                        "The failure reasons that start a new attempt (default: trainer_exited,"
                            + " oom_killed, evicted, preempted, node_lost, heartbeat_timeout,"
                            + " launch_failed). A trainer's own failure report and a cancel are"
                            + " never retried."),
            schema =
                @Schema(
                    allowableValues = {
                      "trainer_exited",
                      "oom_killed",
                      "evicted",
                      "preempted",
                      "node_lost",
                      "heartbeat_timeout",
                      "launch_failed",
                      "startup_timeout",
                      "image_pull_failed"
                    }))
        List<String> retryOn,
    @JsonProperty("backoff_seconds")
        @Schema(
            minimum = "0",
            maximum = "3600",
            description = "Wait before the second attempt (default 10)")
        Integer backoffSeconds,
    @JsonProperty("backoff_multiplier")
        @Schema(
            minimum = "1",
            maximum = "10",
            description = "Each later wait is the one before times this (default 2.0)")
        Double backoffMultiplier,
    @JsonProperty("max_backoff_seconds")
        @Schema(
            minimum = "0",
            maximum = "86400",
            description =
                "The longest wait, at least backoff_seconds (default 600, or backoff_seconds if"
                    + " that is more)")
        Integer maxBackoffSeconds,
    @JsonProperty("budget_seconds")
        @Schema(
            minimum = "60",
            maximum = "2592000",
            description =
                "No new attempt starts once this long has passed since the first attempt's launch"
                    + " (default: no time budget)")
        Integer budgetSeconds,
    @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknown) {}
