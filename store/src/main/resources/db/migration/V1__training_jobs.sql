-- The queryable record of every training job. The Temporal workflow owns status; the API owns
-- the trainer's reported progress (heartbeats), events, metrics and final report.
CREATE TABLE training_jobs (
    id                          BIGSERIAL PRIMARY KEY,
    trace_id                    TEXT        NOT NULL UNIQUE,
    idempotency_key             TEXT        UNIQUE,
    workflow_id                 TEXT        NOT NULL,
    status                      TEXT        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),

    -- the submitted spec
    framework                   TEXT        NOT NULL,
    model_name                  TEXT        NOT NULL,
    dataset_id                  TEXT        NOT NULL,
    epochs                      INTEGER     NOT NULL,
    batch_size                  INTEGER     NOT NULL,
    learning_rate               DOUBLE PRECISION NOT NULL,
    project_id                  TEXT        NOT NULL,
    hyperparameters             JSONB       NOT NULL DEFAULT '{}'::jsonb,
    heartbeat_timeout_seconds   BIGINT      NOT NULL,
    startup_timeout_seconds     BIGINT      NOT NULL,
    max_runtime_seconds         BIGINT      NOT NULL,
    cancel_grace_seconds        BIGINT      NOT NULL,

    -- progress, from the trainer's callbacks
    current_epoch               INTEGER     NOT NULL DEFAULT 0,
    progress                    DOUBLE PRECISION NOT NULL DEFAULT 0,
    last_heartbeat_at           TIMESTAMPTZ,

    -- outcome
    training_time_seconds       INTEGER,
    artifacts                   JSONB,
    final_metrics               JSONB,
    error_message               TEXT,
    failure_reason              TEXT,
    mlflow_run_id               TEXT,
    -- the first accepted done body, so an identical retry is answered ok and a different one 409
    done_report                 JSONB,
    cancel_requested_at         TIMESTAMPTZ,
    trainer_log                 TEXT,

    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    queued_at                   TIMESTAMPTZ,
    started_at                  TIMESTAMPTZ,
    completed_at                TIMESTAMPTZ,
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX training_jobs_status_id ON training_jobs (status, id DESC);

CREATE TABLE job_events (
    id          BIGSERIAL PRIMARY KEY,
    job_id      BIGINT      NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    trace_id    TEXT        NOT NULL,
    -- 'trainer' for callbacks, 'trainyard' for what the orchestrator recorded (status changes)
    source      TEXT        NOT NULL DEFAULT 'trainer',
    level       TEXT        NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    event_type  TEXT        NOT NULL,
    message     TEXT        NOT NULL,
    data        JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX job_events_job_id ON job_events (job_id, id);
CREATE INDEX job_events_trace_id ON job_events (trace_id);

CREATE TABLE training_metrics (
    id          BIGSERIAL PRIMARY KEY,
    job_id      BIGINT      NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    -- -1 marks the final metrics from done, as in the seed
    epoch       INTEGER     NOT NULL DEFAULT 0,
    step        INTEGER     NOT NULL DEFAULT 0,
    metrics     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX training_metrics_job_id ON training_metrics (job_id, id);
