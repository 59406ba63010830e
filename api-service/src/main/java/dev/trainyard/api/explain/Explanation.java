package dev.trainyard.api.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.trainyard.api.jobs.EventView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * {@code GET /v1/jobs/{id}/explain}: why a job ended, or what it waits for now, in one answer. The
 * database parts (status, words, timeline, events, log) are always there; the Temporal parts say in
 * {@code temporal} whether Temporal could be asked.
 */
@Schema(description = "Why a job ended, or what it is waiting for now")
public record Explanation(
    @JsonProperty("job_id") long jobId,
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("workflow_id") String workflowId,
    @JsonProperty("project_id") String projectId,
    @JsonProperty("status") String status,
    @JsonProperty("failure_reason") String failureReason,
    @JsonProperty("error_message") String errorMessage,
    @Schema(description = "The status in words, on one line") @JsonProperty("summary")
        String summary,
    @Schema(description = "How the job ended, in words (null while it runs, or when it succeeded)")
        @JsonProperty("reason")
        String reason,
    @Schema(description = "The status changes the workflow recorded, oldest first")
        @JsonProperty("timeline")
        List<Step> timeline,
    @Schema(
            description = "What the job waits for now (kind nothing once it has ended)",
            requiredMode = Schema.RequiredMode.REQUIRED)
        @JsonProperty("waiting_for")
        WaitingFor waitingFor,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("temporal")
        Temporal temporal,
    @Schema(description = "The job's last events, oldest first") @JsonProperty("last_events")
        List<EventView> lastEvents,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("log") Log log,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("links") Links links,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @JsonProperty("attempts")
        Attempts attempts) {

  /** The job's attempts in words; {@code retrying} while a retry's backoff is pending. */
  @Schema(name = "ExplainedAttempts")
  public record Attempts(
      @Schema(description = "The job's current attempt") @JsonProperty("attempt") int attempt,
      @Schema(description = "The attempts its retry policy allows") @JsonProperty("max_attempts")
          int maxAttempts,
      @Schema(description = "One line per attempt, oldest first") @JsonProperty("lines")
          List<String> lines,
      @Schema(description = "\"retrying: attempt 2 of 3 at …\" while a backoff is pending")
          @JsonProperty("retrying")
          String retrying,
      @JsonProperty("next_attempt_at") String nextAttemptAt) {}

  /** One status the job was in, from when, and for how long (until now for the current one). */
  public record Step(
      @JsonProperty("status") String status,
      @JsonProperty("at") String at,
      @Schema(description = "How long the job was in it; null for the status it ended in")
          @JsonProperty("seconds")
          Double seconds,
      @JsonProperty("current") boolean current,
      @Schema(description = "The failure reason recorded with this change, if any")
          @JsonProperty("reason")
          String reason) {}

  /**
   * The deadline or activity the job waits on: {@code kind} is one of launch, workflow_task,
   * startup, heartbeat, runtime, cancel_grace, exit_grace, retry, stop, or nothing.
   */
  public record WaitingFor(
      @Schema(
              allowableValues = {
                "launch",
                "workflow_task",
                "startup",
                "heartbeat",
                "runtime",
                "cancel_grace",
                "exit_grace",
                "retry",
                "stop",
                "nothing"
              })
          @JsonProperty("kind")
          String kind,
      @Schema(description = "What is awaited and what happens when the deadline passes")
          @JsonProperty("text")
          String text,
      @JsonProperty("deadline_at") String deadlineAt,
      @Schema(description = "Negative once the deadline has passed") @JsonProperty("seconds_left")
          Double secondsLeft,
      @Schema(description = "The failure reason the job ends with when the deadline passes")
          @JsonProperty("then")
          String then,
      @Schema(
              description =
                  "workflow: from the workflow's state query; database: from the job's row, as the"
                      + " workflow could not be asked (Temporal down, or no worker answered)",
              allowableValues = {"workflow", "database"})
          @JsonProperty("source")
          String source) {}

  /** What Temporal said, or why it could not be asked. */
  public record Temporal(
      @JsonProperty("reachable") boolean reachable,
      @Schema(description = "Why some of Temporal's answer is missing; null when none is")
          @JsonProperty("problem")
          String problem,
      @Schema(description = "running, completed, failed, canceled, terminated, timed_out, ...")
          @JsonProperty("workflow_status")
          String workflowStatus,
      @JsonProperty("run_id") String runId,
      @JsonProperty("history_length") long historyLength,
      @Schema(description = "How often the workflow continued as new (from its state query)")
          @JsonProperty("runs_completed")
          Integer runsCompleted,
      @JsonProperty("pending_activities") List<Activity> pendingActivities) {}

  /** An activity the workflow waits on, with its retries. */
  public record Activity(
      @JsonProperty("activity_type") String activityType,
      @Schema(description = "What the activity does, in words") @JsonProperty("what") String what,
      @Schema(description = "scheduled, started, cancel_requested, paused, ...")
          @JsonProperty("state")
          String state,
      @JsonProperty("attempt") int attempt,
      @Schema(description = "0: retried without limit") @JsonProperty("maximum_attempts")
          int maximumAttempts,
      @JsonProperty("last_failure") String lastFailure,
      @JsonProperty("last_heartbeat_at") String lastHeartbeatAt,
      @JsonProperty("last_started_at") String lastStartedAt,
      @JsonProperty("next_attempt_at") String nextAttemptAt,
      @JsonProperty("last_worker") String lastWorker) {}

  /** The trainer log's last lines, tokens masked; {@code note} says why there are none. */
  public record Log(@JsonProperty("lines") List<String> lines, @JsonProperty("note") String note) {}

  /** Where to look further; null where this API has no such service configured. */
  public record Links(
      @JsonProperty("temporal_ui") String temporalUi,
      @JsonProperty("mlflow_run") String mlflowRun) {}
}
