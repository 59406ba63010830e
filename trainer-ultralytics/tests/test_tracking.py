"""The MLflow run kept by the helper process, against a real MLflow file store: params, metrics
logged without waiting, and the right final status on every way a job can end."""

import os
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import ROOT
from trainyard_trainer.tracking import MlflowError, MlflowRun

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")


def store(tmp_path):
    return "file:" + str(tmp_path / "mlruns")


def client_for(tmp_path):
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=store(tmp_path))


def start(run, name="job-1", **params):
    run.start("project-tests", name, params=params or {"epochs": 3}, tags={"trainyard.job_id": "1"})


def test_params_metrics_and_finished(tmp_path):
    run = MlflowRun(store(tmp_path))
    start(run, epochs=3, model="yolo11n.yaml")
    run_id = run.wait_for_run()
    for epoch in (1, 2, 3):
        run.log_metrics({"metrics/mAP50(B)": 0.1 * epoch, "train/box_loss": 3.0 - epoch}, epoch)
    run.end("FINISHED")

    recorded = client_for(tmp_path).get_run(run_id)
    assert recorded.info.status == "FINISHED"
    assert recorded.data.params == {"epochs": "3", "model": "yolo11n.yaml"}
    assert recorded.data.tags["trainyard.job_id"] == "1"
    history = client_for(tmp_path).get_metric_history(run_id, "metrics/mAP50B")
    assert [(m.step, round(m.value, 6)) for m in history] == [(1, 0.1), (2, 0.2), (3, 0.3)]
    assert run.run_id == run_id
    run.end("FAILED")  # a second end changes nothing
    assert client_for(tmp_path).get_run(run_id).info.status == "FINISHED"


def test_metrics_sent_just_before_a_cancel_are_kept_and_the_run_is_killed(tmp_path):
    run = MlflowRun(store(tmp_path))
    start(run)
    run.wait_for_run()
    run.log_metrics({"train/box_loss": 2.5}, 1)
    run.end("KILLED")  # straight after: the helper must log the metrics first

    assert client_for(tmp_path).get_run(run.run_id).info.status == "KILLED"
    [metric] = client_for(tmp_path).get_metric_history(run.run_id, "train/box_loss")
    assert (metric.step, metric.value) == (1, 2.5)


def test_a_job_that_fails_before_asking_for_the_run_still_closes_it_failed(tmp_path):
    run = MlflowRun(store(tmp_path))
    start(run)
    run.end("FAILED")  # e.g. the dataset was missing: wait_for_run() was never called

    assert run.run_id is not None  # so that `done` can name it
    assert client_for(tmp_path).get_run(run.run_id).info.status == "FAILED"


def test_a_trainer_killed_outright_leaves_its_run_failed_not_running(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys
        sys.path.insert(0, %r)
        from trainyard_trainer.tracking import MlflowRun
        run = MlflowRun(%r)
        run.start("project-tests", "job-9", params={}, tags={})
        print(run.wait_for_run(), flush=True)
        run.log_metrics({"train/box_loss": 1.5}, 1)
        os.kill(os.getpid(), 9)  # SIGKILL: no finally, no atexit
    """
        % (ROOT, store(tmp_path))
    )
    process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert process.returncode == -9
    run_id = process.stdout.split()[0]

    client = client_for(tmp_path)
    for _ in range(100):  # the helper notices its input closing and ends the run
        if client.get_run(run_id).info.status != "RUNNING":
            break
        time.sleep(0.1)
    assert client.get_run(run_id).info.status == "FAILED"
    assert [m.value for m in client.get_metric_history(run_id, "train/box_loss")] == [1.5]


def test_an_unusable_tracking_uri_is_an_error_and_end_does_not_hang(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the store should be")
    run = MlflowRun("file:" + str(tmp_path / "not-a-folder"))
    start(run)
    with pytest.raises(MlflowError, match="MLflow run not created"):
        run.wait_for_run()
    run.log_metrics({"x": 1.0}, 1)  # ignored, not raised
    run.end("FAILED")
    assert run.run_id is None


def test_without_a_tracking_uri_nothing_runs():
    run = MlflowRun(None)
    start(run)
    assert run.wait_for_run() is None
    run.log_metrics({"x": 1.0}, 1)
    run.end("FINISHED")
    assert run.run_id is None
