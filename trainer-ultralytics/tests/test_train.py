"""train.py end to end as a process: a real (tiny) YOLO training against the local callback API,
a real S3-protocol server and a file MLflow store."""

import json
import os
import signal
import subprocess
import sys
import time

import boto3
from conftest import ROOT


def run_trainer(
    api,
    storage_config,
    tmp_path,
    epochs=2,
    dataset_id="shapes",
    extra=None,
    on_start=None,
    env_extra=None,
):
    env = dict(
        os.environ,
        JOB_ID="5",
        TRACE_ID="trace-5",
        BACKEND_BASE_URL=api.url,
        CALLBACK_TOKEN=api.token,
        DATASET_ID=dataset_id,
        MODEL_NAME="yolo11n.yaml",
        EPOCHS=str(epochs),
        BATCH_SIZE="8",
        LEARNING_RATE="0.01",
        PROJECT_ID="tests",
        STORAGE_TYPE="minio",
        MINIO_ENDPOINT=storage_config.endpoint,
        MINIO_ACCESS_KEY="test",
        MINIO_SECRET_KEY="test",
        STORAGE_BUCKET=storage_config.bucket,
        MLFLOW_TRACKING_URI="file:" + str(tmp_path / "mlruns"),
        TRAINER_WORK_DIR=str(tmp_path / "work"),
        HYPERPARAMETERS=json.dumps(
            {"imgsz": 32, "workers": 0, "heartbeat_interval_seconds": 1, **(extra or {})}
        ),
        **(env_extra or {}),
    )
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "train.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if on_start:
        on_start(process)
    output, _ = process.communicate(timeout=240)
    return process.returncode, output


def mlflow_client(tmp_path):
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri="file:" + str(tmp_path / "mlruns"))


def mlflow_status(tmp_path, run_id):
    return mlflow_client(tmp_path).get_run(run_id).info.status


def mlflow_steps(tmp_path, run_id, metric="metrics/mAP50-95B"):
    return [m.step for m in mlflow_client(tmp_path).get_metric_history(run_id, metric)]


def keys(storage_config, prefix):
    client = boto3.client(
        "s3",
        endpoint_url=storage_config.endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    listing = client.list_objects_v2(Bucket=storage_config.bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_a_training_run_reports_every_epoch_uploads_checkpoints_and_finishes_mlflow(
    callback_api, storage_config, shapes, tmp_path
):
    code, output = run_trainer(callback_api, storage_config, tmp_path, epochs=2)

    assert code == 0, output
    with_metrics = [b for b in callback_api.bodies("heartbeat") if b["metrics"]]
    assert [b["epoch"] for b in with_metrics] == [1, 2]
    assert {
        "box_loss",
        "cls_loss",
        "dfl_loss",
        "precision",
        "recall",
        "mAP50",
        "mAP50-95",
        "lr",
    } <= set(with_metrics[-1]["metrics"])
    events = [b["event_type"] for b in callback_api.bodies("event")]
    assert events[:5] == [
        "dataset_download_started",
        "dataset_loaded",
        "mlflow_initialized",
        "model_initialized",
        "training_started",
    ]
    final_saves = [
        b["data"] for b in callback_api.bodies("event") if b["event_type"] == "checkpoint_saved"
    ]
    # the seed's two at the end (data.path); before them epoch 1's resumable checkpoint
    assert [d.get("path", d.get("kind")) for d in final_saves] == [
        "last",
        "best",
        "s3://trainyard-test/checkpoints/job-5/best.pt",
        "s3://trainyard-test/checkpoints/job-5/last.pt",
    ]
    assert events[-1] == "training_completed"
    [done] = callback_api.bodies("done")
    assert done["status"] == "succeeded" and "mAP50-95" in done["final_metrics"]
    assert done["artifacts"] == {
        "best_checkpoint": "s3://trainyard-test/checkpoints/job-5/best.pt",
        "last_checkpoint": "s3://trainyard-test/checkpoints/job-5/last.pt",
    }
    # The bucket is the session's: other tests' attempts of job 5 may lie beside this run's.
    other_attempts = [
        k for k in keys(storage_config, "checkpoints/job-5/attempt-") if "/attempt-1/" not in k
    ]
    assert [k for k in keys(storage_config, "checkpoints/job-5/") if k not in other_attempts] == [
        "checkpoints/job-5/attempt-1/best.pt",
        "checkpoints/job-5/attempt-1/last.pt",
        "checkpoints/job-5/best.pt",
        "checkpoints/job-5/last.pt",
    ]
    assert mlflow_status(tmp_path, done["mlflow_run_id"]) == "FINISHED"
    assert mlflow_steps(tmp_path, done["mlflow_run_id"]) == [1, 2]
    assert mlflow_client(tmp_path).get_run(done["mlflow_run_id"]).data.params["epochs"] == "2"
    assert all(b["trace_id"] == "trace-5" for c in callback_api.calls for b in [c["body"]])


def test_should_continue_false_stops_uploads_last_pt_and_reports(
    callback_api, storage_config, shapes, tmp_path
):
    def stop_after_first_epoch(endpoint, body, number):
        if endpoint == "heartbeat" and body.get("metrics"):
            return 200, {"status": "ok", "should_continue": False}
        return None

    callback_api.script = stop_after_first_epoch
    started = time.monotonic()
    code, output = run_trainer(callback_api, storage_config, tmp_path, epochs=50)

    assert code == 0, output
    assert time.monotonic() - started < 120
    assert len([b for b in callback_api.bodies("heartbeat") if b["metrics"]]) == 1
    [done] = callback_api.bodies("done")
    assert done["status"] == "failed" and done["error"].startswith("cancelled")
    assert done["artifacts"]["last_checkpoint"].endswith("checkpoints/job-5/last.pt")
    assert "checkpoints/job-5/last.pt" in keys(storage_config, "checkpoints/job-5/")
    assert mlflow_status(tmp_path, done["mlflow_run_id"]) == "KILLED"
    assert mlflow_steps(tmp_path, done["mlflow_run_id"]) == [1]
    assert "training_cancelled" in [b["event_type"] for b in callback_api.bodies("event")]


def test_sigterm_stops_at_the_next_batch(callback_api, storage_config, shapes, tmp_path):
    def terminate_when_training(process):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "training_started" not in [
            b["event_type"] for b in callback_api.bodies("event")
        ]:
            time.sleep(0.2)
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)

    code, output = run_trainer(
        callback_api, storage_config, tmp_path, epochs=50, on_start=terminate_when_training
    )

    assert code == 0, output
    [done] = callback_api.bodies("done")
    assert done["error"] == "cancelled (signal SIGTERM)"
    assert "last_checkpoint" in done["artifacts"]
    assert mlflow_status(tmp_path, done["mlflow_run_id"]) == "KILLED"


def test_a_missing_dataset_fails_with_the_reason(callback_api, storage_config, tmp_path):
    code, output = run_trainer(callback_api, storage_config, tmp_path, dataset_id="no-such-set")

    assert code == 1, output
    [done] = callback_api.bodies("done")
    assert done["status"] == "failed"
    assert "dataset 'no-such-set' cannot be used" in done["error"]
    assert "datasets/no-such-set.zip not found" in done["error"]
    assert callback_api.bodies("event")[-1]["event_type"] == "dataset_not_found"
    assert callback_api.bodies("event")[-1]["level"] == "error"
    assert mlflow_status(tmp_path, done["mlflow_run_id"]) == "FAILED"
