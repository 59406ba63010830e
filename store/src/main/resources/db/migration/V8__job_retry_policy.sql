-- A job's retry policy and checkpoint interval (issue #16) as submitted, beside the rest of its
-- spec: the job view shows max_attempts from it, and an Idempotency-Key replay compares it like
-- the other fields. NULL for the jobs submitted before: one attempt, a checkpoint every epoch.
ALTER TABLE training_jobs
    ADD COLUMN retry_policy            JSONB,
    ADD COLUMN checkpoint_every_epochs INT;
