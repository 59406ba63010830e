"""Entry point (train.py): read the job from the environment, train, and always end with `done`.

Exit codes: 0 the job ended and `done` was acknowledged (succeeded, or stopped on request),
1 training failed (reported as done=failed), 2 bad environment (nothing could be reported),
4 the final `done` could not be delivered before its deadline, 143 stopped by a SIGTERM that the
API had not asked for, under a launcher that retries (ATTEMPT set): no `done`, see below.

A SIGTERM nobody asked for through the API is the node's doing (a preempted or evicted pod, a
drained node): the attempt ends like a killed one, without `done`, so the job's retry policy
decides (a `done` failed would be the trainer's verdict, which is never retried). Training still
stops after the current batch and last.pt still goes up. Without ATTEMPT (a seed launcher), every
stop ends with `done` as before.
"""

import logging
import os
import shutil
import sys
import tempfile
import time
import traceback

from . import config as config_module
from . import log_format
from .callbacks import CallbackClient
from .heartbeat import BackgroundHeartbeat
from .job import JobFailure, TrainingJob, mlflow_run_description
from .stopping import Stopped, StopRequest
from .tracking import MlflowRun
from .user_text import UserText

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_DONE_LOST, EXIT_TERMINATED = 0, 1, 2, 4, 143
log = logging.getLogger("trainyard.trainer")


def _error_text(error: BaseException) -> str:
    """One line a user can act on; CUDA OOM is named as such because its fix is a smaller batch.
    The callback client then shows its paths relative to the job (UserText); the traceback itself
    is printed to stderr, the trainer's log."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "out of memory" in text.lower():
        return "CUDA out of memory (try a smaller batch_size or imgsz): " + text
    if isinstance(error, JobFailure):
        return text
    return "%s: %s" % (type(error).__name__, text)


def _interrupted(client, cfg, artifacts) -> None:
    client.event(
        "training_interrupted",
        "Attempt %d stopped by SIGTERM without a stop request (preemption, eviction or a node"
        " drain?): ending without done, so that the job's retry policy decides" % cfg.attempt,
        level="warning",
        data={"by": "signal SIGTERM", "attempt": cfg.attempt, "artifacts": artifacts},
    )


def main() -> int:
    try:
        cfg = config_module.load(os.environ)
    except config_module.ConfigError as error:
        print("trainyard-trainer: %s" % error, file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    started = time.monotonic()
    # First of all, so that MLflow's import and the run's creation overlap everything below.
    mlflow_run = MlflowRun(cfg.mlflow_uri)
    mlflow_run.start(**mlflow_run_description(cfg))
    log_format.configure(cfg.job_id, cfg.trace_id, cfg.log_format)
    os.makedirs(cfg.work_dir, exist_ok=True)
    # A fresh folder per run: job ids repeat across fresh databases, stale weights must not.
    work_dir = tempfile.mkdtemp(prefix="job-%s-" % cfg.job_id, dir=cfg.work_dir)
    client = CallbackClient(
        cfg.base_url, cfg.job_id, cfg.trace_id, cfg.token, user_text=UserText(work_dir)
    )
    stop = StopRequest(client.stop_requested)
    stop.install_signal_handlers()
    heartbeat = BackgroundHeartbeat(client, cfg.heartbeat_interval, cfg.epochs).start()
    log.info(
        "job %s: model=%s dataset=%s epochs=%d batch=%d work_dir=%s",
        cfg.job_id,
        cfg.model_name,
        cfg.dataset_id,
        cfg.epochs,
        cfg.batch_size,
        work_dir,
    )

    status, error, final_metrics, artifacts, exit_code = "failed", None, {}, {}, EXIT_FAILED
    mlflow_status = "FAILED"
    send_done = True
    try:
        outcome = TrainingJob(cfg, client, heartbeat, mlflow_run, stop, work_dir).run()
        final_metrics, artifacts = outcome.final_metrics, outcome.artifacts
        if outcome.cancelled and cfg.retry_aware and stop.terminated_unasked:
            send_done, exit_code, mlflow_status = False, EXIT_TERMINATED, "KILLED"
            _interrupted(client, cfg, artifacts)
        elif outcome.cancelled:
            error, exit_code, mlflow_status = "cancelled (%s)" % stop.reason, EXIT_OK, "KILLED"
            client.event(
                "training_cancelled",
                "Training stopped on request; last.pt uploaded"
                if "last_checkpoint" in artifacts
                else "Training stopped on request",
                level="warning",
                data={"by": stop.reason, "artifacts": artifacts},
            )
        else:
            status, exit_code, mlflow_status = "succeeded", EXIT_OK, "FINISHED"
    except Stopped as why:
        error, exit_code, mlflow_status = "cancelled (%s) before training" % why, EXIT_OK, "KILLED"
        if cfg.retry_aware and stop.terminated_unasked:
            send_done, exit_code = False, EXIT_TERMINATED
            _interrupted(client, cfg, {})
        else:
            client.event(
                "training_cancelled",
                "Stopped on request before training",
                level="warning",
                data={"by": str(why)},
            )
    except KeyboardInterrupt:
        error, mlflow_status = "interrupted", "KILLED"
    except BaseException as failure:  # anything at all must still end in done=failed
        traceback.print_exc()
        error = _error_text(failure)
        event_type = failure.event_type if isinstance(failure, JobFailure) else "training_failed"
        client.event(event_type, error, level="error", data={"type": type(failure).__name__})
    finally:
        heartbeat.stop()
        mlflow_run.end(mlflow_status)

    elapsed = int(time.monotonic() - started)
    if not send_done:
        if cfg.storage is not None and os.environ.get("TRAINER_KEEP_WORK_DIR") != "1":
            shutil.rmtree(work_dir, ignore_errors=True)
        log.info(
            "job %s attempt %d: ended by SIGTERM after %ds, no done",
            cfg.job_id,
            cfg.attempt,
            elapsed,
        )
        return EXIT_TERMINATED
    acknowledged = client.done(
        status,
        cfg.done_deadline,
        error=error,
        final_metrics=final_metrics,
        artifacts=artifacts,
        mlflow_run_id=mlflow_run.run_id,
        training_time_seconds=elapsed,
    )
    # Without storage the checkpoints' only copy is in the work dir: keep it then.
    if cfg.storage is not None and os.environ.get("TRAINER_KEEP_WORK_DIR") != "1":
        shutil.rmtree(work_dir, ignore_errors=True)
    log.info(
        "job %s ended %s in %ds%s",
        cfg.job_id,
        status if error is None else error,
        elapsed,
        "" if acknowledged else " (done NOT acknowledged)",
    )
    if not acknowledged:
        return EXIT_DONE_LOST
    return exit_code
