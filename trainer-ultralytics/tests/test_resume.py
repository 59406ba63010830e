"""Retries end to end with real (tiny) trainings: an attempt killed outright after its epoch-2
checkpoint, the next one resuming from it at epoch 3; and resumes that cannot be done starting
over instead of failing the job."""

import os
import signal
import threading

import pytest
from test_train import keys, mlflow_client, mlflow_status, mlflow_steps, run_trainer
from trainyard_trainer.storage import Storage

EPOCH_METRICS = "metrics/mAP50-95B"


def epochs_reported(api):
    return [b["epoch"] for b in api.bodies("heartbeat") if b["metrics"]]


def events(api, event_type=None):
    return [b for b in api.bodies("event") if event_type in (None, b["event_type"])]


def kill_after_checkpoint(api, epoch):
    """Scripts the callback API to SIGKILL the trainer when its checkpoint_saved (last) for `epoch`
    arrives, and to hold any later epoch's heartbeat until then (the kill lands after that
    checkpoint and before the next epoch is reported, whatever the timing)."""
    process = {}
    killed = threading.Event()

    def script(endpoint, body, number):
        data = body.get("data") or {}
        if (
            endpoint == "event"
            and body.get("event_type") == "checkpoint_saved"
            and data.get("kind") == "last"
            and data.get("epoch") == epoch
        ):
            os.kill(process["p"].pid, signal.SIGKILL)
            killed.set()
        elif endpoint == "heartbeat" and body.get("metrics") and body.get("epoch", 0) > epoch:
            killed.wait(60)
        return None

    api.script = script
    return lambda p: process.update(p=p)


def test_a_killed_attempt_resumes_from_its_checkpoint_in_the_next_attempt(
    callback_api, storage_config, shapes, tmp_path
):
    retry = {"ATTEMPT": "1", "CHECKPOINT_EVERY_EPOCHS": "1"}
    code, output = run_trainer(
        callback_api,
        storage_config,
        tmp_path,
        epochs=3,
        env_extra=retry,
        on_start=kill_after_checkpoint(callback_api, 2),
    )
    assert code == -signal.SIGKILL, output
    # epoch 3's heartbeat may have arrived (and been held, unanswered) before the kill
    assert epochs_reported(callback_api) in ([1, 2], [1, 2, 3])
    [saved] = [
        e["data"]
        for e in events(callback_api, "checkpoint_saved")
        if e["data"]["epoch"] == 2 and e["data"]["kind"] == "last"
    ]
    assert saved["uri"] == "s3://trainyard-test/checkpoints/job-5/attempt-1/last.pt"
    assert saved["bytes"] > 100_000
    assert callback_api.bodies("done") == []
    first_run = events(callback_api, "mlflow_initialized")[0]["data"]["run_id"]

    callback_api.calls.clear()
    callback_api.script = None
    code, output = run_trainer(
        callback_api,
        storage_config,
        tmp_path,
        epochs=3,
        env_extra={
            "ATTEMPT": "2",
            "CHECKPOINT_EVERY_EPOCHS": "1",
            "RESUME_FROM": saved["uri"],
            "RESUME_EPOCH": "2",
        },
    )

    assert code == 0, output
    assert epochs_reported(callback_api) == [3]  # epoch 3 of 3, not 1
    [beat] = [b for b in callback_api.bodies("heartbeat") if b["metrics"]]
    assert (beat["total_epochs"], beat["progress"]) == (3, 100.0)
    assert all(b["epoch"] >= 2 for b in callback_api.bodies("heartbeat"))  # never back to 0
    [resumed] = events(callback_api, "training_resumed")
    assert resumed["data"]["epoch"] == 2 and resumed["data"]["uri"] == saved["uri"]
    assert resumed["data"]["attempt"] == 2
    assert "Resuming from epoch 2 of 3" in resumed["message"]
    assert events(callback_api, "resume_failed") == []
    assert "Resuming training" in output and "from epoch 3 to 3 total epochs" in output
    [done] = callback_api.bodies("done")
    assert done["status"] == "succeeded", done
    assert done["artifacts"] == {
        "best_checkpoint": "s3://trainyard-test/checkpoints/job-5/best.pt",
        "last_checkpoint": "s3://trainyard-test/checkpoints/job-5/last.pt",
    }
    # the final epoch has no attempt checkpoint of its own: attempt 2 uploaded none
    assert not [k for k in keys(storage_config, "checkpoints/job-5/attempt-2/")]
    # one MLflow run for the job: attempt 2 reopened attempt 1's and added epoch 3
    assert done["mlflow_run_id"] == first_run
    assert events(callback_api, "mlflow_initialized")[0]["data"]["continued"] is True
    assert mlflow_status(tmp_path, first_run) == "FINISHED"
    assert mlflow_steps(tmp_path, first_run, EPOCH_METRICS) == [1, 2, 3]
    run = mlflow_client(tmp_path).get_run(first_run)
    assert run.data.tags["trainyard.attempts"] == "2"
    assert run.data.params["epochs"] == "3"


@pytest.mark.parametrize("problem", ["missing", "corrupt"])
def test_a_resume_that_cannot_be_done_warns_and_starts_over(
    callback_api, storage_config, shapes, tmp_path, problem
):
    # the S3 server lives for the whole session: keys no other test writes
    key = "checkpoints/job-5/attempt-%d/last.pt" % (7 if problem == "missing" else 8)
    if problem == "corrupt":
        garbage = tmp_path / "garbage.pt"
        garbage.write_bytes(b"\x80not a torch file" * 64)
        Storage(storage_config).upload(str(garbage), key)
    uri = "s3://trainyard-test/" + key
    code, output = run_trainer(
        callback_api,
        storage_config,
        tmp_path,
        epochs=1,
        env_extra={"ATTEMPT": "2", "RESUME_FROM": uri, "RESUME_EPOCH": "3"},
    )

    assert code == 0, output
    [warning] = events(callback_api, "resume_failed")
    assert warning["level"] == "warning"
    assert warning["data"]["uri"] == uri and warning["data"]["epoch"] == 3
    assert ("not found" if problem == "missing" else "not a readable checkpoint") in warning[
        "data"
    ]["reason"]
    assert "starting over from epoch 1" in warning["message"]
    assert events(callback_api, "training_resumed") == []
    assert epochs_reported(callback_api) == [1]
    [done] = callback_api.bodies("done")
    assert done["status"] == "succeeded"
    # no earlier run to continue: a new one, tagged with the attempt
    assert "continued" not in events(callback_api, "mlflow_initialized")[0]["data"]
    tags = mlflow_client(tmp_path).get_run(done["mlflow_run_id"]).data.tags
    assert tags["trainyard.attempts"] == "2"


def test_a_sigterm_nobody_asked_for_ends_the_attempt_without_done_so_it_can_be_retried(
    callback_api, storage_config, shapes, tmp_path
):
    """Under a retrying launcher (ATTEMPT set) a SIGTERM without should_continue:false is the
    node's doing (preemption, eviction): no done (the trainer's verdict, never retried), exit 143
    like a killed process. Without ATTEMPT the seed's behaviour stays (test_train.py)."""

    def terminate_in_the_first_epoch(process):
        def beat_then_terminate(endpoint, body, number):
            if endpoint == "event" and body.get("event_type") == "training_started":
                threading.Timer(1.5, process.send_signal, (signal.SIGTERM,)).start()
            return None

        callback_api.script = beat_then_terminate

    code, output = run_trainer(
        callback_api,
        storage_config,
        tmp_path,
        epochs=50,
        env_extra={"ATTEMPT": "1"},
        on_start=terminate_in_the_first_epoch,
    )

    assert code == 143, output
    assert callback_api.bodies("done") == []
    [interrupted] = events(callback_api, "training_interrupted")
    assert interrupted["level"] == "warning" and interrupted["data"]["attempt"] == 1
    assert "last_checkpoint" in interrupted["data"]["artifacts"]
    run_id = events(callback_api, "mlflow_initialized")[0]["data"]["run_id"]
    assert mlflow_status(tmp_path, run_id) == "KILLED"
