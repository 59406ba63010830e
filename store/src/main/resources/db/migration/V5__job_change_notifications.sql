-- Live streams (GET /v1/jobs/{id}/stream, GET /v1/jobs/stream): every committed change to a job,
-- its events or its metrics wakes the API replicas that stream it. The database is the one owner
-- of this rule, so no writer (the API's callbacks, the worker's status changes, a submit) can
-- forget it. One notification per statement on channel trainyard_job_changes, carrying the
-- changed job ids ("12,13,40"); a heartbeat batch of hundreds of jobs is one notification, and
-- PostgreSQL delivers identical payloads of one transaction once. Payloads stay under the 8000-byte
-- limit by splitting the id list.
--
-- Streams resume by event and metric id. That is gap-free because every writer of a job's events
-- and metrics holds the job's row lock (an UPDATE or SELECT ... FOR UPDATE of training_jobs) when
-- it inserts them, so one job's ids are assigned in commit order.
CREATE FUNCTION trainyard_notify_job_ids(job_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  chunk text := '';
  id_text text;
BEGIN
  -- a statement that changed no row (a compare-and-set that lost, an empty batch) says nothing
  FOREACH id_text IN ARRAY COALESCE(
      (SELECT array_agg(DISTINCT x::text) FROM unnest(job_ids) AS x), '{}'::text[]) LOOP
    IF length(chunk) + length(id_text) + 1 > 7900 THEN
      PERFORM pg_notify('trainyard_job_changes', chunk);
      chunk := '';
    END IF;
    chunk := CASE WHEN chunk = '' THEN id_text ELSE chunk || ',' || id_text END;
  END LOOP;
  IF chunk <> '' THEN
    PERFORM pg_notify('trainyard_job_changes', chunk);
  END IF;
END;
$$;

CREATE FUNCTION trainyard_notify_changed_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trainyard_notify_job_ids(ARRAY(SELECT id FROM changed_rows));
  RETURN NULL;
END;
$$;

CREATE FUNCTION trainyard_notify_jobs_of_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trainyard_notify_job_ids(ARRAY(SELECT job_id FROM changed_rows));
  RETURN NULL;
END;
$$;

CREATE TRIGGER training_jobs_inserted_notify AFTER INSERT ON training_jobs
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_changed_jobs();
CREATE TRIGGER training_jobs_updated_notify AFTER UPDATE ON training_jobs
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_changed_jobs();
CREATE TRIGGER job_events_inserted_notify AFTER INSERT ON job_events
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_jobs_of_rows();
CREATE TRIGGER training_metrics_inserted_notify AFTER INSERT ON training_metrics
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trainyard_notify_jobs_of_rows();
