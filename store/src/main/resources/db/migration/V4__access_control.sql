-- Access control: projects own jobs and datasets; API keys (stored as hashes) carry a role in one
-- project, or in every project for a global admin; the audit log records who changed what.

CREATE TABLE projects (
    name        TEXT        PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the key id of the admin who created it, or 'bootstrap' / 'migration'
    created_by  TEXT        NOT NULL
);

-- Jobs submitted before projects existed keep their project: it becomes a real one.
INSERT INTO projects (name, created_by)
SELECT DISTINCT project_id, 'migration' FROM training_jobs;

ALTER TABLE training_jobs
    ADD CONSTRAINT training_jobs_project_fk FOREIGN KEY (project_id) REFERENCES projects (name);

CREATE TABLE api_keys (
    -- the public part of the key (ty_<key_id>_<secret>): shown in lists, audit entries and logs
    key_id        TEXT        PRIMARY KEY,
    -- SHA-256 of the whole key; the key itself is never stored
    secret_hash   BYTEA       NOT NULL,
    name          TEXT        NOT NULL,
    -- NULL: a global admin, who sees and manages every project
    project       TEXT        REFERENCES projects (name),
    role          TEXT        NOT NULL CHECK (role IN ('viewer', 'member', 'admin')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by    TEXT        NOT NULL,
    expires_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    CHECK (project IS NOT NULL OR role = 'admin')
);

CREATE INDEX api_keys_project ON api_keys (project, created_at);

CREATE TABLE audit_log (
    id          BIGSERIAL   PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the key id that did it ('bootstrap' for the server-side command)
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    -- NULL for actions outside any project (creating a global admin key)
    project     TEXT,
    target      TEXT        NOT NULL,
    detail      JSONB
);

CREATE INDEX audit_log_project_id ON audit_log (project, id DESC);

-- Who submitted and who asked to cancel (key ids), shown in the job view.
ALTER TABLE training_jobs ADD COLUMN submitted_by TEXT;
ALTER TABLE training_jobs ADD COLUMN cancel_requested_by TEXT;

-- An Idempotency-Key is the caller's, so it is unique per project: one project's key can neither
-- collide with nor reveal another project's job.
ALTER TABLE training_jobs DROP CONSTRAINT training_jobs_idempotency_key_key;
ALTER TABLE training_jobs ADD CONSTRAINT training_jobs_project_idempotency_key
    UNIQUE (project_id, idempotency_key);

-- A project key's job list reads one project.
CREATE INDEX training_jobs_project_id ON training_jobs (project_id, id DESC);
