-- Retries (issue #16): a job runs as one or more attempts, each a fresh trainer with its own
-- callback token. training_jobs.attempt is the current one: the API refuses a callback whose token
-- names another (a zombie of an earlier attempt). job_attempts keeps each attempt's start, end,
-- cause and the checkpoint it resumed from, for the job view. The worker's job store writes both
-- (JdbiJobStore.attemptStarted / attemptEnded) under the job's row lock.
--
-- failure_reason has no CHECK constraint (V1), so the new reasons (oom_killed, evicted, preempted,
-- node_lost, image_pull_failed) need no change here. Jobs from before this migration are on
-- attempt 1 and have no job_attempts rows.
ALTER TABLE training_jobs ADD COLUMN attempt INT NOT NULL DEFAULT 1;

CREATE TABLE job_attempts (
    job_id              BIGINT      NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    attempt             INT         NOT NULL CHECK (attempt >= 1),
    started_at          TIMESTAMPTZ NOT NULL,
    ended_at            TIMESTAMPTZ,
    -- a FailureReason wire name; NULL while it runs and when it succeeded
    cause               TEXT,
    message             TEXT,
    resumed_from_uri    TEXT,
    resumed_from_epoch  INT,
    PRIMARY KEY (job_id, attempt)
);

-- A new or ended attempt wakes the job's streams like any other change to the job (V5's rule: the
-- database notifies, so no writer can forget). A transition table allows one event per trigger.
CREATE TRIGGER job_attempts_inserted_notify AFTER INSERT ON job_attempts
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_jobs_of_rows();
CREATE TRIGGER job_attempts_updated_notify AFTER UPDATE ON job_attempts
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_jobs_of_rows();
