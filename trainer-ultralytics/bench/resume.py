"""What a retry costs the trainer (issue #16), as figures for docs/benchmarks.md.

Three runs of the e2e's job (yolo11n.yaml, 32 + 8 synthetic 64 px images, imgsz 64, batch 8, CPU)
against a local callback API and moto's S3 server, checkpoints every epoch:
  uninterrupted   all epochs in one attempt
  attempt 1       SIGKILLed as soon as its checkpoint_saved (last) for --kill-after arrives
  attempt 2       RESUME_FROM that checkpoint, to the end
and prints, as JSON: seconds per epoch, last.pt's size and upload seconds per checkpoint, the
resume's overhead (download; process start to training_resumed against process start to
training_started of the uninterrupted run; and to each run's first epoch heartbeat), and both
final mAP50-95.

  python bench/resume.py --epochs 6 --kill-after 3
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from trainyard_trainer import synthetic  # noqa: E402
from trainyard_trainer.local_api import LocalCallbackApi  # noqa: E402

BUCKET = "bench"


def s3_server():
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, "http://127.0.0.1:%d" % port


def run(api, endpoint, work, epochs, env_extra, kill_after=None):
    calls = []  # (seconds since start, endpoint, body)
    started = time.monotonic()
    process = {}
    killed = threading.Event()

    def script(endpoint_, body, number):
        calls.append((time.monotonic() - started, endpoint_, body))
        data = body.get("data") or {}
        if (
            kill_after is not None
            and body.get("event_type") == "checkpoint_saved"
            and data.get("kind") == "last"
            and data.get("epoch") == kill_after
        ):
            os.kill(process["p"].pid, signal.SIGKILL)
            killed.set()
        elif kill_after is not None and endpoint_ == "heartbeat":
            if body.get("metrics") and body.get("epoch", 0) > kill_after:
                killed.wait(120)
        return None

    api.script = script
    env = dict(
        os.environ,
        JOB_ID="1",
        TRACE_ID="trace-bench-resume",
        BACKEND_BASE_URL=api.url,
        CALLBACK_TOKEN=api.token,
        DATASET_ID="shapes",
        MODEL_NAME="yolo11n.yaml",
        EPOCHS=str(epochs),
        BATCH_SIZE="8",
        LEARNING_RATE="0.01",
        STORAGE_TYPE="minio",
        MINIO_ENDPOINT=endpoint,
        MINIO_ACCESS_KEY="test",
        MINIO_SECRET_KEY="test",
        STORAGE_BUCKET=BUCKET,
        MLFLOW_TRACKING_URI="file:" + os.path.join(work, "mlruns"),
        MLFLOW_ALLOW_FILE_STORE="true",
        TRAINER_WORK_DIR=os.path.join(work, "work"),
        YOLO_OFFLINE="true",
        CHECKPOINT_EVERY_EPOCHS="1",
        HYPERPARAMETERS=json.dumps(
            {
                "imgsz": 64,
                "workers": 0,
                "device": "cpu",
                "heartbeat_interval_seconds": 5,
                "train_args": {"nbs": 8, "warmup_epochs": 0},
            }
        ),
        **env_extra,
    )
    process["p"] = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "train.py")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    code = process["p"].wait(timeout=1800)
    return code, calls


def epoch_beats(calls):
    return [(t, b["epoch"], b["metrics"]) for t, e, b in calls if e == "heartbeat" and b["metrics"]]


def events(calls, event_type):
    return [(t, b) for t, e, b in calls if e == "event" and b["event_type"] == event_type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--kill-after", type=int, default=3)
    args = parser.parse_args()
    import boto3

    server, endpoint = s3_server()
    work = tempfile.mkdtemp(prefix="bench-resume-")
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        from trainyard_trainer.config import StorageConfig
        from trainyard_trainer.storage import Storage

        archive = synthetic.write_zip(os.path.join(work, "shapes.zip"), train=32, val=8, size=64)
        Storage(StorageConfig(endpoint, "test", "test", BUCKET)).upload(
            archive, "datasets/shapes.zip"
        )
        with LocalCallbackApi() as api:
            code, whole = run(api, endpoint, os.path.join(work, "a"), args.epochs, {"ATTEMPT": "1"})
            assert code == 0, "uninterrupted run exited %s" % code
            code, first = run(
                api, endpoint, os.path.join(work, "b"), args.epochs, {}, kill_after=args.kill_after
            )
            assert code == -signal.SIGKILL, "attempt 1 exited %s" % code
            [(_, saved)] = [
                (t, b)
                for t, b in events(first, "checkpoint_saved")
                if (b["data"]["epoch"], b["data"]["kind"]) == (args.kill_after, "last")
            ]
            code, second = run(
                api,
                endpoint,
                os.path.join(work, "b"),
                args.epochs,
                {
                    "ATTEMPT": "2",
                    "RESUME_FROM": saved["data"]["uri"],
                    "RESUME_EPOCH": str(args.kill_after),
                },
            )
            assert code == 0, "attempt 2 exited %s" % code
    finally:
        server.stop()

    beats = epoch_beats(whole)
    epoch_seconds = [b[0] - a[0] for a, b in zip(beats, beats[1:], strict=False)]
    uploads = [b["data"] for _, b in events(whole, "checkpoint_saved") if "kind" in b["data"]]
    [(_, resumed)] = events(second, "training_resumed")
    resumed_beats = epoch_beats(second)
    [(_, completed)] = events(whole, "training_completed")
    [(_, completed2)] = events(second, "training_completed")
    print(
        json.dumps(
            {
                "epochs": args.epochs,
                "kill_after": args.kill_after,
                "seconds_per_epoch_median": round(statistics.median(epoch_seconds), 2),
                "training_started_seconds_fresh": round(events(whole, "training_started")[0][0], 2),
                "training_resumed_seconds": round(events(second, "training_resumed")[0][0], 2),
                "first_epoch_beat_seconds_fresh": round(beats[0][0], 2),
                "first_epoch_beat_seconds_resumed": round(resumed_beats[0][0], 2),
                "resumed_first_epoch": resumed_beats[0][1],
                "resume_download_seconds": resumed["data"]["download_seconds"],
                "last_pt_bytes": [u["bytes"] for u in uploads if u["kind"] == "last"],
                "last_pt_upload_seconds": [u["seconds"] for u in uploads if u["kind"] == "last"],
                "best_pt_upload_seconds": [u["seconds"] for u in uploads if u["kind"] == "best"],
                "reporting_seconds": completed["data"]["reporting_seconds"],
                "checkpoint_upload_seconds_total": completed["data"]["checkpoint_upload_seconds"],
                "train_seconds": completed["data"]["train_seconds"],
                "mAP50-95_uninterrupted": completed["data"].get("mAP50-95"),
                "mAP50-95_resumed": completed2["data"].get("mAP50-95"),
                "epochs_reported_resumed": [b[1] for b in resumed_beats],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
