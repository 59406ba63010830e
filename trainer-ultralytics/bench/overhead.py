"""Trainer overhead against plain Ultralytics, as wall-time ratios (docs/benchmarks.md).

Runs the same training (same synthetic data, model, epochs, seed and arguments) as (a) plain
Ultralytics and (b) Trainyard's train.py reporting to a local callback API with an MLflow file
store, each in a fresh process, alternating which goes first in each repeat so that drift in the
machine's load hits both, and reports the medians:

  process ratio   whole process wall time, trainer / plain (adds unzip, MLflow, events, done)
  train ratio     model.train() wall time, trainer / plain (what the callbacks cost per epoch)
  fixed seconds   (process - train()) of the trainer minus the same for plain: the per-job cost
                  outside training, with train()'s own noise taken out
  callback share  time spent inside the trainer's callbacks / its model.train() time (exact;
                  immune to the machine's noise, which the two ratios are not)

Both start from a freshly unpacked dataset (plain's is unpacked before its clock starts, the
trainer unpacks its own zip as part of the job), so both build Ultralytics' label cache.

No Java stack and no S3 needed:
  python bench/overhead.py --epochs 10 --imgsz 64 --device cpu
  python bench/overhead.py --epochs 10 --imgsz 320 --images 512 --device cuda
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from trainyard_trainer import dataset, synthetic  # noqa: E402
from trainyard_trainer.local_api import LocalCallbackApi  # noqa: E402


def run_plain(archive, work, train_args):
    copy = os.path.join(work, "plain.zip")
    os.makedirs(work)
    shutil.copyfile(archive, copy)
    data_yaml = dataset.prepare(copy, os.path.join(work, "data"), 1 << 34)  # before the clock
    started = time.monotonic()
    out = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, "plain_ultralytics.py"),
            "--data",
            data_yaml,
            "--project",
            work,
            "--args",
            json.dumps(train_args),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "process_seconds": wall,
        "train_seconds": result["train_seconds"],
        "load_before": os.getloadavg()[0],
    }


def run_trainer(root, work, options):
    with LocalCallbackApi() as api:
        env = dict(
            os.environ,
            JOB_ID="1",
            TRACE_ID="bench",
            BACKEND_BASE_URL=api.url,
            CALLBACK_TOKEN=api.token,
            DATASET_ID="bench",
            MODEL_NAME=options.model,
            EPOCHS=str(options.epochs),
            BATCH_SIZE=str(options.batch),
            LEARNING_RATE="0.01",
            PROJECT_ID="bench",
            DATASET_ROOT=root,
            TRAINER_WORK_DIR=work,
            HYPERPARAMETERS=json.dumps(
                {
                    "imgsz": options.imgsz,
                    "workers": options.workers,
                    "device": options.device,
                    "seed": 0,
                    "heartbeat_interval_seconds": 30,
                }
            ),
        )
        for key in ("STORAGE_BUCKET", "MLFLOW_TRACKING_URI"):
            env.pop(key, None)
        if options.mlflow:
            env["MLFLOW_TRACKING_URI"] = "file:" + os.path.join(work, "mlruns")
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "train.py")],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - started
        [completed] = [b for b in api.bodies("event") if b["event_type"] == "training_completed"]
        heartbeats = [b for b in api.bodies("heartbeat") if b["metrics"]]
        assert len(heartbeats) == options.epochs, "expected one metrics heartbeat per epoch"
    return {
        "process_seconds": wall,
        "train_seconds": completed["data"]["train_seconds"],
        "callback_seconds": completed["data"]["reporting_seconds"],
        "load_before": load_before,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--imgsz", type=int, default=64)
    parser.add_argument("--images", type=int, default=128, help="training images (val: a quarter)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or a CUDA index")
    parser.add_argument("--model", default="yolo11n.yaml")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", help="also write the result as JSON here")
    parser.add_argument(
        "--no-mlflow",
        dest="mlflow",
        action="store_false",
        help="run the trainer without MLflow (a machine where it is not installed)",
    )
    options = parser.parse_args()
    device = "0" if options.device == "cuda" else options.device

    with tempfile.TemporaryDirectory(prefix="trainyard-bench-") as tmp:
        root = os.path.join(tmp, "datasets")
        os.makedirs(root)
        archive = synthetic.write_zip(
            os.path.join(root, "bench.zip"),
            train=options.images,
            val=max(1, options.images // 4),
            size=options.imgsz,
        )
        train_args = dict(
            model=options.model,
            epochs=options.epochs,
            batch=options.batch,
            lr0=0.01,
            imgsz=options.imgsz,
            device=device,
            workers=options.workers,
            seed=0,
            amp=False,
            plots=False,
            val=True,
            verbose=True,
        )
        options.device = device
        load_at_start = os.getloadavg()
        print("load average at start: %.2f %.2f %.2f" % load_at_start, flush=True)
        plain, trainer = [], []
        for repeat in range(options.repeats):
            order = ("plain", "trainer") if repeat % 2 == 0 else ("trainer", "plain")
            for which in order:
                if which == "plain":
                    plain.append(run_plain(archive, os.path.join(tmp, "p%d" % repeat), train_args))
                else:
                    trainer.append(run_trainer(root, os.path.join(tmp, "t%d" % repeat), options))
            print(
                "repeat %d (%s first): plain %.2fs (train %.2fs, load %.2f)  trainer %.2fs "
                "(train %.2fs, callbacks %.4fs, load %.2f)"
                % (
                    repeat + 1,
                    order[0],
                    plain[-1]["process_seconds"],
                    plain[-1]["train_seconds"],
                    plain[-1]["load_before"],
                    trainer[-1]["process_seconds"],
                    trainer[-1]["train_seconds"],
                    trainer[-1]["callback_seconds"],
                    trainer[-1]["load_before"],
                ),
                flush=True,
            )

    def median(runs, key):
        return statistics.median(r[key] for r in runs)

    result = {
        "machine": "%s, %d CPUs, %s"
        % (platform.processor() or platform.machine(), os.cpu_count(), platform.platform()),
        "settings": {
            k: getattr(options, k)
            for k in ("epochs", "imgsz", "images", "batch", "device", "model", "repeats", "mlflow")
        },
        "plain_process_seconds": median(plain, "process_seconds"),
        "trainer_process_seconds": median(trainer, "process_seconds"),
        "plain_train_seconds": median(plain, "train_seconds"),
        "trainer_train_seconds": median(trainer, "train_seconds"),
        "callback_seconds": median(trainer, "callback_seconds"),
        "load_at_start": load_at_start,
        "plain_runs": plain,
        "trainer_runs": trainer,
    }
    outside = [r["process_seconds"] - r["train_seconds"] for r in trainer]
    plain_outside = [r["process_seconds"] - r["train_seconds"] for r in plain]
    result["trainer_outside_train_seconds"] = statistics.median(outside)
    result["plain_outside_train_seconds"] = statistics.median(plain_outside)
    result["fixed_seconds"] = (
        result["trainer_outside_train_seconds"] - result["plain_outside_train_seconds"]
    )
    result["process_ratio"] = result["trainer_process_seconds"] / result["plain_process_seconds"]
    result["train_ratio"] = result["trainer_train_seconds"] / result["plain_train_seconds"]
    result["callback_share"] = result["callback_seconds"] / result["trainer_train_seconds"]
    print(json.dumps(result, indent=2))
    if options.out:
        with open(options.out, "w") as handle:
            json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
