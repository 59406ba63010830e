-- The frameworks that workers have a trainer for, so that the API can refuse a job no trainer
-- would run instead of letting it fail at launch. Each worker writes its own rows when it starts
-- and refreshes seen_at while it runs; a row not refreshed for a while belongs to a worker that is
-- gone and no longer counts (see TrainerFrameworkDao). framework '*' stands for a worker's default
-- trainer, which serves every framework that has none of its own.
CREATE TABLE trainer_frameworks (
    worker_id TEXT        NOT NULL,
    framework TEXT        NOT NULL,
    seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (worker_id, framework)
);
