package dev.trainyard.api.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.api.explain.FailureReasons;
import dev.trainyard.store.jobs.AttemptRecord;
import dev.trainyard.workflows.messages.JobTimeouts;
import io.swagger.v3.oas.annotations.media.Schema;

/** One attempt of a job, as {@code GET /v1/jobs/{id}} lists them. */
@Schema(name = "Attempt")
public record AttemptView(
    @JsonProperty("attempt") int attempt,
    @JsonProperty("started_at") String startedAt,
    @Schema(description = "Null while the attempt runs") @JsonProperty("ended_at") String endedAt,
    @Schema(
            description =
                "Why the attempt ended (a failure_reason wire name); null while it runs, or when it"
                    + " succeeded")
        @JsonProperty("cause")
        String cause,
    @JsonProperty("message") String message,
    @Schema(description = "The cause in words, with the message (the job's failure_explanation's)")
        @JsonProperty("cause_explanation")
        String causeExplanation,
    @Schema(
            description = "The checkpoint this attempt resumed from; null when it started over",
            nullable = true)
        @JsonProperty("resumed_from")
        ResumedFrom resumedFrom) {

  /** A checkpoint an attempt resumed from, and the epoch it had completed. */
  @Schema(name = "ResumedFrom")
  public record ResumedFrom(
      @JsonProperty("uri") String uri, @JsonProperty("epoch") Integer epoch) {}

  static AttemptView of(AttemptRecord a, JobTimeouts timeouts) {
    return new AttemptView(
        a.attempt(),
        JobView.iso(a.startedAt()),
        JobView.iso(a.endedAt()),
        a.cause(),
        a.message(),
        a.cause() == null ? null : FailureReasons.explain(a.cause(), a.message(), timeouts),
        a.resumedFromUri() == null
            ? null
            : new ResumedFrom(a.resumedFromUri(), a.resumedFromEpoch()));
  }
}
