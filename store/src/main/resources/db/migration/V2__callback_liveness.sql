-- Liveness without one engine signal per heartbeat: the API records when the trainer last called
-- back (any callback) and when it last signalled the workflow about it. The workflow reads
-- last_callback_at when its heartbeat timer fires, so its view of liveness stays exact while the
-- API signals at most once per interval per job.
ALTER TABLE training_jobs
    ADD COLUMN last_callback_at      TIMESTAMPTZ,
    ADD COLUMN callback_signalled_at TIMESTAMPTZ;
