-- The job list (GET /v1/jobs, the dashboard's list page) reads newest first, 50 at a time, with
-- any of status, project, model and q (a job id or the start of a trace id). Each index below
-- lets one filter (or the project a project key always adds) read its page in id order without
-- scanning the table; docs/benchmarks.md has the plans and times at 10,000 and 200,000 jobs.
-- None holds a column that a heartbeat writes (progress, current_epoch, updated_at, last_*), so
-- heartbeats stay HOT updates; only status changes (a few per job) touch them.

-- status alone: training_jobs_status_id (V1); project alone: training_jobs_project_id (V4)
CREATE INDEX training_jobs_list_model ON training_jobs (model_name, id DESC);
CREATE INDEX training_jobs_list_project_status ON training_jobs (project_id, status, id DESC);
CREATE INDEX training_jobs_list_project_model ON training_jobs (project_id, model_name, id DESC);
-- q: lower(trace_id) in byte order, so "starts with" is a range the index answers
CREATE INDEX training_jobs_list_trace ON training_jobs ((lower(trace_id) COLLATE "C"));
